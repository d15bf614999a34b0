<#
.SYNOPSIS
    Collects what sfb-certlint needs to know about one Lync Server 2013 / Skype for Business Server's
    certificates.

.DESCRIPTION
    Run it on every server of the deployment (Front End, Standard Edition, Director, Edge, Mediation,
    Persistent Chat) in an elevated PowerShell: reading whether a private key is exportable needs local
    administrator rights. Windows PowerShell 5.1 and PowerShell 7 both work.

    It creates a folder named by the server's FQDN under -OutputPath, holding:
      cscertificate.json  Get-CsCertificate: each usage's certificate (Use, Thumbprint, dates, roll)
      my.json             Cert:\LocalMachine\My, with the private key's facts
      root.json           Cert:\LocalMachine\Root
      ca.json             Cert:\LocalMachine\CA
    Every store row carries the certificate itself as Base64 DER (RawData). No private key and no
    password is ever written: only whether a key is present, whether it is exportable, and its provider.

    Copy the server folders into one inventory folder and run:
      sfb-certlint import --topology topology.xml --inventory inventory --output snapshot.yaml
    docs/collect.md describes the files field by field.

.PARAMETER OutputPath
    The folder in which to create the server's folder. Default: the current folder.

.EXAMPLE
    .\Collect-SfbCertificates.ps1 -OutputPath \\fs01\lync-audit\inventory
#>
[CmdletBinding()]
param(
    [string]$OutputPath = (Get-Location).Path
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$fqdn = [System.Net.Dns]::GetHostEntry([string]$env:COMPUTERNAME).HostName.ToLowerInvariant()
$folder = Join-Path $OutputPath $fqdn
New-Item -ItemType Directory -Path $folder -Force | Out-Null

# UTF-8 without a BOM and always a JSON array (ConvertTo-Json makes a lone object of a one-row list).
function Write-JsonFile([object[]]$Rows, [string]$Name) {
    $json = ConvertTo-Json -InputObject @($Rows) -Depth 4
    [System.IO.File]::WriteAllText((Join-Path $folder $Name), $json, (New-Object System.Text.UTF8Encoding $false))
    Write-Host "$Name`: $(@($Rows).Count) certificates"
}

# Dates as ISO 8601 UTC, the same from every PowerShell version and regional setting.
function Format-Date($Date) {
    if ($null -eq $Date) { return $null }
    return ([datetime]$Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
}

# Where the private key lives and whether it can be exported. KeyProvider is 'CSP' (a legacy CryptoAPI
# provider, which Lync Server 2013 needs) or 'CNG' (a Key Storage Provider); null when unknown.
function Get-KeyFacts([System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate) {
    $facts = [ordered]@{ KeyProvider = $null; KeyProviderName = $null; KeyExportable = $null }
    if (-not $Certificate.HasPrivateKey) { return $facts }
    try {
        # .NET 4.6+ opens CNG keys as RSACng/ECDsaCng and CryptoAPI keys as RSACryptoServiceProvider;
        # older .NET only opens CryptoAPI keys, through PrivateKey.
        $rsa = 'System.Security.Cryptography.X509Certificates.RSACertificateExtensions' -as [type]
        $ecdsa = 'System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions' -as [type]
        if ($rsa) {
            $key = $rsa::GetRSAPrivateKey($Certificate)
            if ($null -eq $key -and $ecdsa) { $key = $ecdsa::GetECDsaPrivateKey($Certificate) }
        } else {
            $key = $Certificate.PrivateKey
        }
    } catch {
        Write-Warning "$($Certificate.Thumbprint): cannot open the private key: $($_.Exception.Message)"
        return $facts
    }
    if ($key -is [System.Security.Cryptography.ICspAsymmetricAlgorithm]) {
        $info = $key.CspKeyContainerInfo
        $facts.KeyProvider = 'CSP'
        $facts.KeyProviderName = $info.ProviderName
        $facts.KeyExportable = [bool]$info.Exportable
    } elseif ($null -ne $key -and $key.PSObject.Properties['Key'] -and $key.Key -is [System.Security.Cryptography.CngKey]) {
        $export = [System.Security.Cryptography.CngExportPolicies]::AllowExport -bor [System.Security.Cryptography.CngExportPolicies]::AllowPlaintextExport
        $facts.KeyProvider = 'CNG'
        $facts.KeyProviderName = $key.Key.Provider.Provider
        $facts.KeyExportable = ($key.Key.ExportPolicy -band $export) -ne 0
    }
    return $facts
}

function Get-StoreRows([string]$Store, [switch]$WithKeys) {
    foreach ($cert in Get-ChildItem "Cert:\LocalMachine\$Store") {
        $row = [ordered]@{
            Thumbprint    = $cert.Thumbprint
            Subject       = $cert.Subject
            Issuer        = $cert.Issuer
            NotBefore     = Format-Date $cert.NotBefore
            NotAfter      = Format-Date $cert.NotAfter
            HasPrivateKey = $cert.HasPrivateKey
        }
        if ($WithKeys) { (Get-KeyFacts $cert).GetEnumerator() | ForEach-Object { $row[$_.Key] = $_.Value } }
        $row.RawData = [Convert]::ToBase64String($cert.RawData)
        [pscustomobject]$row
    }
}

function Get-AssignmentRows {
    foreach ($c in Get-CsCertificate) {
        $row = [ordered]@{
            Use              = [string]$c.Use
            Thumbprint       = $c.Thumbprint
            Subject          = $c.Subject
            Issuer           = $c.Issuer
            NotBefore        = Format-Date $c.NotBefore
            NotAfter         = Format-Date $c.NotAfter
            SerialNumber     = $c.SerialNumber
            AlternativeNames = @($c.AlternativeNames)
        }
        # A staged roll (Set-CsCertificate -Roll -EffectiveDate) on Lync Server 2013 and later.
        foreach ($name in 'EffectiveDate', 'PreviousThumbprint') {
            if ($c.PSObject.Properties[$name] -and $c.$name) {
                $row[$name] = if ($name -eq 'EffectiveDate') { Format-Date $c.$name } else { [string]$c.$name }
            }
        }
        [pscustomobject]$row
    }
}

foreach ($module in 'SkypeForBusiness', 'Lync') {
    if (-not (Get-Command Get-CsCertificate -ErrorAction SilentlyContinue)) { Import-Module $module -ErrorAction SilentlyContinue }
}
if (Get-Command Get-CsCertificate -ErrorAction SilentlyContinue) {
    Write-JsonFile @(Get-AssignmentRows) 'cscertificate.json'
} else {
    Write-Warning 'Get-CsCertificate is not available (neither the SkypeForBusiness nor the Lync module): cscertificate.json not written, so lint will report the assignments as missing data.'
}
Write-JsonFile @(Get-StoreRows My -WithKeys) 'my.json'
Write-JsonFile @(Get-StoreRows Root) 'root.json'
Write-JsonFile @(Get-StoreRows CA) 'ca.json'
Write-Host "Wrote $folder"
