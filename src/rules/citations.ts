import type { Citation } from '../engine/types.js';

/**
 * The Microsoft pages the built-in rules enforce (see ../shared/reference/lync-sfb-certificates.md).
 * Lync Server 2013 pages live under learn.microsoft.com/previous-versions; Skype for Business Server
 * pages under learn.microsoft.com/skypeforbusiness.
 */
const L13 = 'https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-';
const SFB = 'https://learn.microsoft.com/en-us/skypeforbusiness/';

export const CITATIONS = {
  infrastructure: {
    title: 'Certificate infrastructure requirements for Lync Server 2013',
    url: `${L13}certificate-infrastructure-requirements`,
  },
  internalServers: {
    title: 'Certificate requirements for internal servers in Lync Server 2013',
    url: `${L13}certificate-requirements-for-internal-servers`,
  },
  // The three seed pages (../shared/seeds) are cited by the TechNet address their headers give.
  configureServers: {
    title: 'Configure certificates for servers in Lync Server 2013',
    url: 'https://technet.microsoft.com/en-us/library/Gg398995(v=OCS.15)',
  },
  serverToServer: {
    title: 'Assigning a server-to-server authentication certificate to Microsoft Lync Server 2013',
    url: 'https://technet.microsoft.com/en-us/library/JJ205253(v=OCS.15)',
  },
  staging: {
    title: 'Staging AV and OAuth certificates in Lync Server 2013 using -Roll in Set-CsCertificate',
    url: `${L13}staging-av-and-oauth-certificates-using-roll-in-set-cscertificate`,
  },
  edgeInternal: {
    title: 'Set up certificates for the internal edge interface in Lync Server 2013',
    url: 'https://technet.microsoft.com/en-us/library/Gg412750(v=OCS.15)',
  },
  externalAccess: {
    title: 'Certificate requirements for external user access in Lync Server 2013',
    url: `${L13}certificate-requirements-for-external-user-access`,
  },
  planEdge: {
    title: 'Plan for Edge Server certificates in Lync Server 2013',
    url: `${L13}plan-for-edge-server-certificates`,
  },
  wildcard: {
    title: 'Wildcard certificate support in Lync Server 2013',
    url: `${L13}wildcard-certificate-support`,
  },
  environment: {
    title: 'Environmental requirements for Skype for Business Server 2015',
    url: `${SFB}plan-your-deployment/requirements-for-your-environment/environmental-requirements`,
  },
  edgeEnvironment: {
    title: 'Edge Server environmental requirements in Skype for Business Server',
    url: `${SFB}plan-your-deployment/edge-server-deployments/edge-environmental-requirements`,
  },
  rfc5280: {
    title: 'RFC 5280: Internet X.509 Public Key Infrastructure Certificate and CRL Profile',
    url: 'https://www.rfc-editor.org/rfc/rfc5280',
  },
  exportPfx: {
    title: 'Export-PfxCertificate: -CryptoAlgorithmOption TripleDES_SHA1 or AES256_SHA256',
    url: 'https://learn.microsoft.com/en-us/powershell/module/pki/export-pfxcertificate',
  },
  directorSummary: {
    title: 'Certificate summary - Single Director in Lync Server 2013',
    url: `${L13}certificate-summary-single-director`,
  },
  trustedRootStore: {
    title: 'KB 2795828: Lync Server 2013 Front-End service cannot start in Windows Server 2012',
    url: 'https://support.microsoft.com/kb/2795828',
  },
} satisfies Record<string, Citation>;
