import { basename } from 'node:path';
import { defineRule } from '../engine/types.js';
import type { OperatingSystem } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { at, labelOf } from './support.js';

/** Windows Server 2019's version: the first server release that imports AES-256 (PBES2) PKCS #12 files. */
const FIRST_AES_PFX_BUILD = [10, 0, 17763] as const;

/**
 * Whether a server's Windows predates Windows Server 2019 (so cannot import an AES-256 .pfx); undefined
 * when the snapshot does not say. `10.0` alone is 2016, 2019 and 2022 alike: the build tells them
 * apart, else the caption's year.
 */
export function predatesAesPfx(os: OperatingSystem | undefined): boolean | undefined {
  const parts = os?.version?.split('.').map(Number) ?? [];
  if (parts.length >= 3 || (parts.length === 2 && parts[0]! < 10)) {
    for (let i = 0; i < FIRST_AES_PFX_BUILD.length; i++) {
      const part = parts[i] ?? 0;
      if (part !== FIRST_AES_PFX_BUILD[i]) return part < FIRST_AES_PFX_BUILD[i]!;
    }
    return false;
  }
  const year = /\b(20\d\d)\b/.exec(os?.caption ?? '')?.[1];
  return year === undefined ? undefined : Number(year) < 2019;
}

const REEXPORT =
  'Export it again with TripleDES-SHA1: on Windows Server 2019 or later, Export-PfxCertificate -Cert Cert:\\LocalMachine\\My\\<thumbprint> -FilePath <file>.pfx -Password $pw -CryptoAlgorithmOption TripleDES_SHA1; with OpenSSL 3, openssl pkcs12 -export -legacy (or -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1).';

export default defineRule({
  meta: {
    id: 'pfx-import-compatible',
    description:
      'A .pfx file holding an assigned certificate can be imported by the Windows of every server that holds it: Windows Server 2016 and older read only 3DES/RC2 files with a SHA-1 MAC, not AES-256 (PBES2).',
    severity: 'error',
    citation: CITATIONS.exportPfx,
    messages: {
      incompatible: {
        text: `The .pfx file {{file}} of the certificate {{certificate}} is protected with {{encryption}} (MAC: {{mac}}), which Windows Server 2016 and older cannot read, and the servers listed run such a version: Import-PfxCertificate and Import-CsCertificate fail there with a misleading "the password is incorrect". ${REEXPORT}`,
        scope: 'certificate',
      },
      osUnknown: {
        text: `The .pfx file {{file}} of the certificate {{certificate}} is protected with {{encryption}} (MAC: {{mac}}), which Windows Server 2016 and older cannot read (Import-PfxCertificate and Import-CsCertificate report a wrong password), and the snapshot does not say which Windows the servers listed run: collect their version (docs/collect.md), or, to be safe, ${REEXPORT.charAt(0).toLowerCase()}${REEXPORT.slice(1)}`,
        severity: 'warning',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const group of context.serverCertificates()) {
      const { container, source } = group.certificate.facts;
      if (!container || container.legacyWindowsCompatible) continue;
      const older = predatesAesPfx(group.server.os);
      if (older === false) continue;
      const data = { file: basename(source.path), certificate: labelOf(context, group.certificate), encryption: container.encryption, mac: container.macHash ?? 'none' };
      yield { messageId: older ? 'incompatible' : 'osUnknown', data, ...at(group) };
    }
  },
});
