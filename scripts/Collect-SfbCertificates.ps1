<#
.SYNOPSIS
    Collects what sfb-certlint needs to know about one Lync Server 2013 / Skype for Business Server's
    certificates.

.DESCRIPTION
    Run it on every server of the deployment (Front End, Standard Edition, Director, Edge, Mediation,
    Persistent Chat) in an elevated PowerShell: reading a private key's provider and whether it is
    exportable needs local administrator rights. Windows PowerShell 5.1 and PowerShell 7 both work.

    It creates a folder named by the server's FQDN under -OutputPath, holding:
      cscertificate.json  Get-CsCertificate: each usage's certificate (Use, Thumbprint, dates, roll)
      my.json             Cert:\LocalMachine\My, with the private key's facts
      root.json           Cert:\LocalMachine\Root
      ca.json             Cert:\LocalMachine\CA
      os.json             Win32_OperatingSystem: the Windows edition and version
    Every store row carries the certificate itself as Base64 DER (RawData) and its FriendlyName. No
    private key and no password is ever written: only whether a key is present, whether it is
    exportable, and its provider.

    Copy the server folders into one inventory folder and run:
      sfb-certlint import --topology topology.xml --inventory inventory --output snapshot.yaml
    docs/collect.md describes the files field by field.

.PARAMETER OutputPath
    The folder in which to create the server's folder. Default: the current folder.

.PARAMETER ServerFqdn
    The server's FQDN as the topology names it, which names its folder. Default: this computer's host
    name and primary DNS suffix, as Lync Server setup compares them with the topology.

.EXAMPLE
    .\Collect-SfbCertificates.ps1 -OutputPath \\fs01\lync-audit\inventory
#>
[CmdletBinding()]
param(
    [string]$OutputPath = (Get-Location).Path,
    [string]$ServerFqdn
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

if (-not $ServerFqdn) {
    $ip = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
    $ServerFqdn = if ($ip.DomainName) { "$($ip.HostName).$($ip.DomainName)" } else { $ip.HostName }
}
$folder = Join-Path $OutputPath $ServerFqdn.ToLowerInvariant()
New-Item -ItemType Directory -Path $folder -Force | Out-Null

# UTF-8 without a BOM, the same from every PowerShell version.
function Write-TextFile([string]$Text, [string]$Name) {
    [System.IO.File]::WriteAllText((Join-Path $folder $Name), $Text, (New-Object System.Text.UTF8Encoding $false))
}

# Always a JSON array: ConvertTo-Json makes a lone object of a one-row list, and nothing of none.
function Write-JsonFile([object[]]$Rows, [string]$Name) {
    $json = if ($Rows.Count -eq 0) { '[]' } else { ConvertTo-Json -InputObject $Rows -Depth 4 }
    Write-TextFile $json $Name
    Write-Host "$Name`: $($Rows.Count) certificates"
}

# Dates as ISO 8601 UTC, the same from every PowerShell version and regional setting.
function Format-Date($Date) {
    if ($null -eq $Date) { return $null }
    return ([datetime]$Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
}

# The private key's container as the certificate store records it (CERT_KEY_PROV_INFO_PROP_ID). .NET's
# key objects cannot tell CryptoAPI from CNG: since .NET Framework 4.6, GetRSAPrivateKey opens the keys
# of Microsoft's software CSPs through CNG, as RSACng. C# 5, for Windows PowerShell 5.1's compiler.
$keyContainerSource = @'
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace SfbCertLint
{
    public sealed class KeyContainer
    {
        public string ContainerName;
        public string ProviderName;
        // 0 for a CNG key storage provider, else the CryptoAPI provider type (PROV_RSA_SCHANNEL is 12).
        public int ProviderType;
        public int KeySpec;
        public bool MachineKeySet;
    }

    public static class CertificateKey
    {
        private const int CERT_KEY_PROV_INFO_PROP_ID = 2;
        private const int CRYPT_MACHINE_KEYSET = 0x20;
        private const int CRYPT_E_NOT_FOUND = unchecked((int)0x80092004);

        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
        private struct CRYPT_KEY_PROV_INFO
        {
            public string pwszContainerName;
            public string pwszProvName;
            public int dwProvType;
            public int dwFlags;
            public int cProvParam;
            public IntPtr rgProvParam;
            public int dwKeySpec;
        }

        [DllImport("crypt32.dll", SetLastError = true)]
        private static extern bool CertGetCertificateContextProperty(IntPtr pCertContext, int dwPropId, IntPtr pvData, ref int pcbData);

        // Null when the store records no key container for the certificate.
        public static KeyContainer Container(IntPtr certificateContext)
        {
            int size = 0;
            if (!CertGetCertificateContextProperty(certificateContext, CERT_KEY_PROV_INFO_PROP_ID, IntPtr.Zero, ref size)) return Missing();
            IntPtr buffer = Marshal.AllocHGlobal(size);
            try
            {
                if (!CertGetCertificateContextProperty(certificateContext, CERT_KEY_PROV_INFO_PROP_ID, buffer, ref size)) return Missing();
                CRYPT_KEY_PROV_INFO info = (CRYPT_KEY_PROV_INFO)Marshal.PtrToStructure(buffer, typeof(CRYPT_KEY_PROV_INFO));
                KeyContainer container = new KeyContainer();
                container.ContainerName = info.pwszContainerName;
                container.ProviderName = info.pwszProvName;
                container.ProviderType = info.dwProvType;
                container.KeySpec = info.dwKeySpec;
                container.MachineKeySet = (info.dwFlags & CRYPT_MACHINE_KEYSET) != 0;
                return container;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static KeyContainer Missing()
        {
            int error = Marshal.GetLastWin32Error();
            if (error == CRYPT_E_NOT_FOUND) return null;
            throw new Win32Exception(error);
        }
    }
}
'@

function Get-KeyContainer([System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate) {
    if (-not ('SfbCertLint.CertificateKey' -as [type])) { Add-Type -TypeDefinition $keyContainerSource }
    return [SfbCertLint.CertificateKey]::Container($Certificate.Handle)
}

# CryptoAPI: the container's export flag; CNG: the key's export policy.
function Test-KeyExportable($Container) {
    if ($Container.ProviderType -eq 0) {
        $options = if ($Container.MachineKeySet) { [System.Security.Cryptography.CngKeyOpenOptions]::MachineKey } else { [System.Security.Cryptography.CngKeyOpenOptions]::None }
        $key = [System.Security.Cryptography.CngKey]::Open($Container.ContainerName, (New-Object System.Security.Cryptography.CngProvider $Container.ProviderName), $options)
        try {
            $export = [System.Security.Cryptography.CngExportPolicies]::AllowExport -bor [System.Security.Cryptography.CngExportPolicies]::AllowPlaintextExport
            return ($key.ExportPolicy -band $export) -ne 0
        } finally {
            $key.Dispose()
        }
    }
    $parameters = New-Object System.Security.Cryptography.CspParameters $Container.ProviderType, $Container.ProviderName, $Container.ContainerName
    $parameters.KeyNumber = $Container.KeySpec
    $parameters.Flags = [System.Security.Cryptography.CspProviderFlags]::UseExistingKey
    if ($Container.MachineKeySet) { $parameters.Flags = $parameters.Flags -bor [System.Security.Cryptography.CspProviderFlags]::UseMachineKeyStore }
    return [bool](New-Object System.Security.Cryptography.CspKeyContainerInfo $parameters).Exportable
}

# Where the private key lives and whether it can be exported. KeyProvider is 'CSP' (a CryptoAPI provider,
# which Lync Server 2013 needs) or 'CNG' (a Key Storage Provider); null when unknown.
function Get-KeyFacts([System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate) {
    $facts = [ordered]@{ KeyProvider = $null; KeyProviderName = $null; KeyExportable = $null }
    if (-not $Certificate.HasPrivateKey) { return $facts }
    try {
        $container = Get-KeyContainer $Certificate
    } catch {
        Write-Warning "$($Certificate.Thumbprint): cannot read where the private key is kept: $($_.Exception.Message)"
        return $facts
    }
    if ($null -eq $container) { return $facts }
    $facts.KeyProvider = if ($container.ProviderType -eq 0) { 'CNG' } else { 'CSP' }
    $facts.KeyProviderName = $container.ProviderName
    try {
        $facts.KeyExportable = Test-KeyExportable $container
    } catch {
        Write-Warning "$($Certificate.Thumbprint): cannot open the private key to see whether it is exportable: $($_.Exception.Message)"
    }
    return $facts
}

function Get-StoreRows([string]$Store, [switch]$WithKeys) {
    foreach ($cert in Get-ChildItem "Cert:\LocalMachine\$Store") {
        $row = [ordered]@{
            Thumbprint    = $cert.Thumbprint
            Subject       = $cert.Subject
            Issuer        = $cert.Issuer
            FriendlyName  = $cert.FriendlyName
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
            AlternativeNames = @(foreach ($name in $c.AlternativeNames) { [string]$name })
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

# The Windows edition and version (for PFX files older Windows cannot import). [Environment]::OSVersion
# when WMI cannot answer: it knows the version but not the edition.
function Get-OperatingSystem {
    try {
        $os = Get-CimInstance -ClassName Win32_OperatingSystem
        return [pscustomobject][ordered]@{ Caption = [string]$os.Caption; Version = [string]$os.Version }
    } catch {
        Write-Warning "Win32_OperatingSystem cannot be read ($($_.Exception.Message)): os.json holds the version alone."
        $os = [Environment]::OSVersion
        $version = if ($os.Platform -eq [PlatformID]::Win32NT) { '{0}.{1}.{2}' -f $os.Version.Major, $os.Version.Minor, $os.Version.Build } else { $null }
        return [pscustomobject][ordered]@{ Caption = $null; Version = $version }
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
$os = Get-OperatingSystem
Write-TextFile (ConvertTo-Json -InputObject $os) 'os.json'
Write-Host "os.json: $($os.Caption) $($os.Version)"
Write-Host "Wrote $folder"
