# Pester 5 tests of scripts/Collect-SfbCertificates.ps1: the script runs for real, with what only a Lync
# server has mocked: Get-CsCertificate, the Cert:\LocalMachine stores (built from fixtures/rules/
# certificates), Win32_OperatingSystem, and the two Windows-only readers of a private key's container.
# The server is described in scenario.json. Runs under PowerShell 7 and Windows PowerShell 5.1.
#   Invoke-Pester test/collector
# SFB_COLLECTOR_OUTPUT names a folder to keep the main run's output in (test/collector/collector.test.ts
# checks there that import reads exactly what the collector wrote); by default it goes to TestDrive.

BeforeAll {
    $repository = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $collector = Join-Path $repository 'scripts/Collect-SfbCertificates.ps1'
    $scenario = Get-Content -Raw (Join-Path $PSScriptRoot 'scenario.json') | ConvertFrom-Json
    $X509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]

    function Read-Certificate([string]$Name) {
        $pem = Get-Content -Raw (Join-Path $repository "fixtures/rules/$Name")
        $base64 = ($pem -replace '-----[A-Z ]+-----', '') -replace '\s', ''
        return New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList (, [Convert]::FromBase64String($base64))
    }

    # A store's certificate as the Cert: drive gives it: FriendlyName and HasPrivateKey are the store's.
    function New-StoreCertificate($Entry) {
        $certificate = [psobject](Read-Certificate $Entry.certificate)
        $certificate | Add-Member -NotePropertyName FriendlyName -NotePropertyValue $Entry.FriendlyName -Force
        $certificate | Add-Member -NotePropertyName HasPrivateKey -NotePropertyValue ($null -ne $Entry.PSObject.Properties['key']) -Force
        return $certificate
    }

    # The DNS names of the certificate's subject alternative names, as Windows (DNS Name=) or OpenSSL
    # (DNS:) formats the extension.
    function Get-DnsNames($Certificate) {
        $san = $Certificate.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' }
        if (-not $san) { return @() }
        return @($san.Format($false) -split ',\s*' | Where-Object { $_ -match '^DNS( Name)?[:=]' } | ForEach-Object { $_ -replace '^DNS( Name)?[:=]', '' })
    }

    # Get-CsCertificate's rows: Use an enum, as in the Lync module, dates as DateTime.
    if (-not ('MockLync.CertUse' -as [type])) {
        Add-Type -TypeDefinition 'namespace MockLync { public enum CertUse { Default = 1, WebServicesInternal = 2, WebServicesExternal = 3, OAuthTokenIssuer = 4, Internal = 5 } }'
    }
    function New-CsCertificateRow($Assignment) {
        $certificate = Read-Certificate $Assignment.certificate
        $row = [ordered]@{
            Issuer             = $certificate.Issuer
            NotAfter           = $certificate.NotAfter
            NotBefore          = $certificate.NotBefore
            SerialNumber       = $certificate.SerialNumber
            Subject            = $certificate.Subject
            AlternativeNames   = [System.Collections.Generic.List[string]](Get-DnsNames $certificate)
            Thumbprint         = $certificate.Thumbprint
            EffectiveDate      = $null
            PreviousThumbprint = $null
            Use                = [MockLync.CertUse]$Assignment.Use
        }
        if ($Assignment.PSObject.Properties['previous']) {
            $row.EffectiveDate = [datetime]::Parse($Assignment.EffectiveDate, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal)
            $row.PreviousThumbprint = (Read-Certificate $Assignment.previous).Thumbprint
        }
        return [pscustomobject]$row
    }

    # Commands to mock must exist: the Lync cmdlet, Get-CimInstance off Windows, and the collector's own
    # key-container readers (a mock is an alias, which PowerShell prefers to the script's function).
    if (-not (Get-Command Get-CsCertificate -ErrorAction SilentlyContinue)) { function global:Get-CsCertificate { } }
    if (-not (Get-Command Get-CimInstance -ErrorAction SilentlyContinue)) { function global:Get-CimInstance([string]$ClassName) { } }
    function Get-KeyContainer([System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate) { }
    function Test-KeyExportable($Container) { }

    $keys = @{}
    foreach ($entry in $scenario.stores.My) {
        if ($entry.PSObject.Properties['key']) { $keys[(Read-Certificate $entry.certificate).Thumbprint] = $entry.key }
    }

    # The mocks of a Lync Front End; each Describe runs the collector in its own folder.
    function Set-ServerMocks([switch]$RealKeyContainer) {
        Mock Get-CsCertificate { foreach ($a in $scenario.assignments) { New-CsCertificateRow $a } }
        Mock Get-ChildItem -ParameterFilter { $Path -like 'Cert:\LocalMachine\*' } {
            $store = ($Path | Select-Object -First 1).Split('\')[-1]
            foreach ($entry in $scenario.stores.$store) { New-StoreCertificate $entry }
        }
        Mock Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' } {
            [pscustomobject]@{ Caption = $scenario.os.Caption; Version = $scenario.os.Version; BuildNumber = $scenario.os.Version.Split('.')[-1] }
        }
        if (-not $RealKeyContainer) {
            Mock Get-KeyContainer {
                $key = $keys[$Certificate.Thumbprint]
                [pscustomobject]@{ ContainerName = $key.ContainerName; ProviderName = $key.ProviderName; ProviderType = $key.ProviderType; KeySpec = 1; MachineKeySet = $true }
            }
        }
        Mock Test-KeyExportable { ($keys.Values | Where-Object { $_.ContainerName -eq $Container.ContainerName }).Exportable }
    }

    # Runs the collector; its host output and warnings are returned as the console shows them.
    function Invoke-Collector([string]$OutputPath) {
        return @(& $collector -OutputPath $OutputPath -ServerFqdn $scenario.server 3>&1 6>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.WarningRecord]) { "WARNING: $($_.Message)" } else { [string]$_ }
            })
    }

    function Read-Listing([string]$Folder, [string]$Name) {
        return Get-Content -Raw -Encoding UTF8 (Join-Path $Folder $Name) | ConvertFrom-Json
    }

    # ConvertFrom-Json in PowerShell 7 turns ISO date strings into DateTime: compare as written.
    function Format-Iso($Value) {
        if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture) }
        return $Value
    }
}

Describe 'Collect-SfbCertificates.ps1 on a Front End server' {
    BeforeAll {
        Set-ServerMocks
        $outputPath = if ($env:SFB_COLLECTOR_OUTPUT) { $env:SFB_COLLECTOR_OUTPUT } else { Join-Path $TestDrive 'inventory' }
        New-Item -ItemType Directory -Path $outputPath -Force | Out-Null
        $said = Invoke-Collector $outputPath
        $folder = Join-Path $outputPath 'fe01.contoso.com'
    }

    It 'creates a folder named by the FQDN in lower case, holding the five listings' {
        (Get-ChildItem $folder | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'ca.json,cscertificate.json,my.json,os.json,root.json'
    }

    It 'says what it wrote, with no warning' {
        $said | Should -Contain 'cscertificate.json: 4 certificates'
        $said | Should -Contain 'my.json: 4 certificates'
        $said | Should -Contain 'ca.json: 1 certificates'
        $said | Should -Contain "Wrote $folder"
        $said | Where-Object { $_ -like 'WARNING*' } | Should -BeNullOrEmpty
    }

    It 'writes UTF-8 without a byte order mark, every listing a JSON array even of one certificate' {
        foreach ($name in 'cscertificate.json', 'my.json', 'root.json', 'ca.json') {
            $bytes = [System.IO.File]::ReadAllBytes((Join-Path $folder $name))
            $bytes[0] | Should -Be ([byte][char]'[') -Because "$name starts with ["
        }
        [char][System.IO.File]::ReadAllBytes((Join-Path $folder 'os.json'))[0] | Should -Be '{'
    }

    It "writes Use as the usage's name, not the enum's number" {
        $text = Get-Content -Raw (Join-Path $folder 'cscertificate.json')
        $text | Should -Match '"Use":\s*"OAuthTokenIssuer"'
        (Read-Listing $folder 'cscertificate.json').Use -join ',' | Should -Be (($scenario.assignments | ForEach-Object Use) -join ',')
    }

    It 'writes each assignment with its certificate, ISO dates, serial number and names' {
        $rows = @(Read-Listing $folder 'cscertificate.json')
        $rows.Count | Should -Be $scenario.assignments.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $expected = Read-Certificate $scenario.assignments[$i].certificate
            $rows[$i].Thumbprint | Should -Be $expected.Thumbprint
            $rows[$i].Subject | Should -Be $expected.Subject
            $rows[$i].Issuer | Should -Be $expected.Issuer
            $rows[$i].SerialNumber | Should -Be $expected.SerialNumber
            Format-Iso $rows[$i].NotAfter | Should -Be (Format-Iso $expected.NotAfter)
            Format-Iso $rows[$i].NotBefore | Should -Be (Format-Iso $expected.NotBefore)
            $rows[$i].AlternativeNames -join ',' | Should -Be ((Get-DnsNames $expected) -join ',')
        }
    }

    It 'writes a staged roll: the certificate it replaces and when, and nothing of the sort on other rows' {
        $rows = @(Read-Listing $folder 'cscertificate.json')
        $oauth = $rows | Where-Object Use -eq 'OAuthTokenIssuer'
        $oauth.PreviousThumbprint | Should -Be (Read-Certificate 'expires-2027.pem').Thumbprint
        Format-Iso $oauth.EffectiveDate | Should -Be '2030-06-01T06:00:00Z'
        ($rows | Where-Object Use -eq 'Default').PSObject.Properties.Name | Should -Not -Contain 'EffectiveDate'
    }

    It 'writes every store entry: thumbprint, names, friendly name, ISO dates and the certificate itself' {
        foreach ($store in @(@('My', 'my.json'), @('Root', 'root.json'), @('CA', 'ca.json'))) {
            $rows = @(Read-Listing $folder $store[1])
            $entries = @($scenario.stores.($store[0]))
            $rows.Count | Should -Be $entries.Count
            for ($i = 0; $i -lt $rows.Count; $i++) {
                $expected = Read-Certificate $entries[$i].certificate
                $rows[$i].Thumbprint | Should -Be $expected.Thumbprint
                $rows[$i].Subject | Should -Be $expected.Subject
                $rows[$i].Issuer | Should -Be $expected.Issuer
                $rows[$i].FriendlyName | Should -BeExactly $entries[$i].FriendlyName
                Format-Iso $rows[$i].NotBefore | Should -Be (Format-Iso $expected.NotBefore)
                Format-Iso $rows[$i].NotAfter | Should -Be (Format-Iso $expected.NotAfter)
                $rows[$i].RawData | Should -BeExactly ([Convert]::ToBase64String($expected.RawData))
            }
        }
    }

    It "writes the personal store's key facts from the key container: CSP or CNG, provider, exportable" {
        $rows = @(Read-Listing $folder 'my.json')
        $facts = $rows | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.HasPrivateKey, $_.KeyProvider, $_.KeyProviderName, $_.KeyExportable }
        $facts | Should -Be @(
            'True|CSP|Microsoft RSA SChannel Cryptographic Provider|False',
            'True|CNG|Microsoft Software Key Storage Provider|True',
            'True|CSP|Microsoft Enhanced RSA and AES Cryptographic Provider|True',
            'False|||'
        )
        Should -Invoke Get-KeyContainer -Times 3 -Exactly -Scope Describe
    }

    It 'writes the key facts of the personal store only, and no key material' {
        (Read-Listing $folder 'root.json').PSObject.Properties.Name | Should -Not -Contain 'KeyProvider'
        Get-Content -Raw (Join-Path $folder 'my.json') | Should -Not -Match 'PRIVATE KEY|"PrivateKey"'
    }

    It 'writes the Windows edition and version from Win32_OperatingSystem' {
        $os = Read-Listing $folder 'os.json'
        $os.Caption | Should -Be $scenario.os.Caption
        $os.Version | Should -Be $scenario.os.Version
    }
}

Describe 'Collect-SfbCertificates.ps1 where something cannot be read' {
    BeforeAll { Set-ServerMocks }

    It 'writes the stores without cscertificate.json, and says so, where neither Lync module loads' {
        Mock Get-Command -ParameterFilter { $Name -eq 'Get-CsCertificate' } { }
        Mock Import-Module { }
        $said = Invoke-Collector (Join-Path $TestDrive 'no-lync')
        (Get-ChildItem (Join-Path $TestDrive 'no-lync/fe01.contoso.com') | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'ca.json,my.json,os.json,root.json'
        $said | Should -Contain 'WARNING: Get-CsCertificate is not available (neither the SkypeForBusiness nor the Lync module): cscertificate.json not written, so lint will report the assignments as missing data.'
        Should -Invoke Import-Module -ParameterFilter { $Name -eq 'SkypeForBusiness' } -Times 1 -Exactly
        Should -Invoke Import-Module -ParameterFilter { $Name -eq 'Lync' } -Times 1 -Exactly
        Should -Invoke Get-CsCertificate -Times 0 -Exactly
    }

    It 'writes an empty list where Get-CsCertificate has no alternative names (not a list holding null)' {
        Mock Get-CsCertificate {
            $row = New-CsCertificateRow $scenario.assignments[0]
            $row.AlternativeNames = $null
            $row
        }
        Invoke-Collector (Join-Path $TestDrive 'no-san') | Out-Null
        Get-Content -Raw (Join-Path $TestDrive 'no-san/fe01.contoso.com/cscertificate.json') | Should -Match '"AlternativeNames":\s*\[\s*\]'
    }

    It 'leaves the key facts unknown, with a warning, when the key container cannot be read' {
        Mock Get-KeyContainer { throw 'Access is denied' }
        $said = Invoke-Collector (Join-Path $TestDrive 'denied')
        $row = @(Read-Listing (Join-Path $TestDrive 'denied/fe01.contoso.com') 'my.json')[0]
        $row.HasPrivateKey | Should -BeTrue
        $row.KeyProvider, $row.KeyProviderName, $row.KeyExportable | Should -Be @($null, $null, $null)
        $said | Should -Contain "WARNING: $((Read-Certificate 'good.pem').Thumbprint): cannot read where the private key is kept: Access is denied"
    }

    It 'keeps the provider and leaves exportable unknown when the key cannot be opened' {
        Mock Test-KeyExportable { throw 'Keyset does not exist' }
        $said = Invoke-Collector (Join-Path $TestDrive 'keyset')
        $row = @(Read-Listing (Join-Path $TestDrive 'keyset/fe01.contoso.com') 'my.json')[0]
        $row.KeyProvider, $row.KeyProviderName, $row.KeyExportable | Should -Be @('CSP', 'Microsoft RSA SChannel Cryptographic Provider', $null)
        $said | Should -Contain "WARNING: $((Read-Certificate 'good.pem').Thumbprint): cannot open the private key to see whether it is exportable: Keyset does not exist"
    }

    It 'writes the version alone, from [Environment]::OSVersion on Windows, when WMI cannot answer' {
        Mock Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' } { throw 'RPC server unavailable' }
        $said = Invoke-Collector (Join-Path $TestDrive 'no-wmi')
        $os = Read-Listing (Join-Path $TestDrive 'no-wmi/fe01.contoso.com') 'os.json'
        $os.Caption | Should -BeNullOrEmpty
        $version = [Environment]::OSVersion
        $expected = if ($version.Platform -eq 'Win32NT') { '{0}.{1}.{2}' -f $version.Version.Major, $version.Version.Minor, $version.Version.Build } else { $null }
        $os.Version | Should -Be $expected
        $said | Should -Contain 'WARNING: Win32_OperatingSystem cannot be read (RPC server unavailable): os.json holds the version alone.'
    }
}

Describe "Collect-SfbCertificates.ps1's key container reader, unmocked" {
    BeforeAll {
        Set-ServerMocks -RealKeyContainer
        Mock Get-ChildItem -ParameterFilter { $Path -like 'Cert:\LocalMachine\*' } {
            # A certificate read from a file: no key container is recorded for it in any store.
            if ($Path -like '*\My') { New-StoreCertificate $scenario.stores.My[0] }
        }
    }

    It 'compiles, and reads no container for a certificate with none (off Windows, without crypt32, it says it cannot)' {
        $said = Invoke-Collector (Join-Path $TestDrive 'unmocked')
        'SfbCertLint.CertificateKey' -as [type] | Should -Not -BeNullOrEmpty
        $row = @(Read-Listing (Join-Path $TestDrive 'unmocked/fe01.contoso.com') 'my.json')[0]
        $row.HasPrivateKey | Should -BeTrue
        $row.KeyProvider | Should -BeNullOrEmpty
        $row.KeyExportable | Should -BeNullOrEmpty
        $warnings = @($said | Where-Object { $_ -like 'WARNING*' })
        if ([Environment]::OSVersion.Platform -eq 'Win32NT') {
            $warnings | Should -BeNullOrEmpty
        } else {
            $warnings.Count | Should -Be 1
            $warnings[0] | Should -BeLike "WARNING: $((Read-Certificate 'good.pem').Thumbprint): cannot read where the private key is kept: *"
        }
    }
}
