import rule from '../../src/rules/required-usages-assigned.js';
import { certificateLabel } from '../../src/rules/support.js';
import { certs, deployment, edgePool, frontEndPool, ruleTester, type PoolSpec, type ServerSpec } from './harness.js';

// The usages each role needs, as Microsoft's pages list them:
// - Gg398995 (Configure certificates for servers): "Each Standard Edition server or Front End Server
//   requires up to four certificates: the oAuthTokenIssuer certificate, a default certificate, a web
//   internal certificate, and a web external certificate" (one certificate may serve several).
// - Certificate summary - Single Director: a Default certificate for the Director's services, and the
//   OAuthTokenIssuer certificate ("The certificate is required"; oauth-certificate-present reports that one).
// - Certificate requirements for internal servers: a stand-alone Mediation Server has a Default certificate.
// - Gg412750 and Plan for Edge Server certificates: the internal interface (Internal), the Access Edge and
//   Web Conferencing Edge external interface (AccessEdgeExternal and DataEdgeExternal, or one External
//   certificate for both), A/V authentication; XmppServer where XMPP federation is enabled (SfB 2015).
const FE = { Default: 'good', WebServicesInternal: 'good', WebServicesExternal: 'good', OAuthTokenIssuer: 'good' };
const EDGE = { Internal: 'good', AccessEdgeExternal: 'second', DataEdgeExternal: 'second', AudioVideoAuthentication: 'second' };
const single = (fqdn: string, role: PoolSpec['role'], assignments: ServerSpec['assignments']) => deployment({ pools: [{ fqdn, role, servers: [{ fqdn, assignments }] }] });
const xmpp = (spec: PoolSpec, on: boolean | undefined): PoolSpec => ({ ...spec, edge: { ...spec.edge, xmppFederation: on } });

ruleTester(rule, {
  valid: [
    { name: 'a Front End with its four usages on one certificate', deployment: deployment({ pools: [frontEndPool(FE, 2)] }) },
    { name: 'a Standard Edition server with its four usages', deployment: single('se01.contoso.com', 'StandardEdition', FE) },
    { name: 'a Director with Default and both web services usages', deployment: single('dir01.contoso.com', 'Director', FE) },
    { name: 'a stand-alone Mediation server with Default', deployment: single('med01.contoso.com', 'Mediation', { Default: 'mediation' }) },
    { name: 'an Edge pool with its four usages', deployment: deployment({ pools: [edgePool(EDGE, 2)] }) },
    { name: 'an External certificate serves for AccessEdgeExternal and DataEdgeExternal', deployment: deployment({ pools: [edgePool({ Internal: 'good', External: 'second', AudioVideoAuthentication: 'second' }, 1)] }) },
    { name: 'XMPP federation with an XmppServer certificate', deployment: deployment({ pools: [xmpp(edgePool({ ...EDGE, XmppServer: 'second' }, 1), true)] }) },
    { name: 'no XmppServer certificate where the snapshot does not say XMPP federation is on', deployment: deployment({ pools: [xmpp(edgePool(EDGE, 1), undefined)] }) },
    { name: 'no XmppServer certificate where XMPP federation is off', deployment: deployment({ pools: [xmpp(edgePool(EDGE, 1), false)] }) },
    { name: 'the OAuthTokenIssuer certificate is oauth-certificate-present\'s', deployment: deployment({ pools: [frontEndPool({ ...FE, OAuthTokenIssuer: undefined }, 1)] }) },
    { name: 'a server without inventory is inventory-present\'s', deployment: deployment({ pools: [frontEndPool({}, 1, { all: { assignmentsCollected: false } })] }) },
    { name: 'a server with nothing assigned is inventory-present\'s', deployment: deployment({ pools: [frontEndPool({}, 1)] }) },
  ],
  invalid: [
    {
      name: 'a Front End with no web services certificates: one finding per missing usage',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' }, 1)] }),
      findings: [
        { messageId: 'missing', server: 'fe01.contoso.com', usage: 'WebServicesInternal', severity: 'error', message: 'No WebServicesInternal certificate is assigned on this server, which a Front End pool needs' },
        { messageId: 'missing', server: 'fe01.contoso.com', usage: 'WebServicesExternal', message: 'No WebServicesExternal certificate' },
      ],
    },
    {
      name: 'a Front End with web services but no Default certificate',
      deployment: deployment({ pools: [frontEndPool({ ...FE, Default: undefined }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'Default', message: 'Certificate requirements for internal servers in Lync Server 2013' }],
    },
    {
      name: 'a Director without its external web services certificate',
      deployment: single('dir01.contoso.com', 'Director', { ...FE, WebServicesExternal: undefined }),
      findings: [{ messageId: 'missing', usage: 'WebServicesExternal', message: 'which a Director pool needs' }],
    },
    {
      name: 'a Standard Edition server with only its OAuth certificate',
      deployment: single('se01.contoso.com', 'StandardEdition', { OAuthTokenIssuer: 'good' }),
      findings: ['Default', 'WebServicesInternal', 'WebServicesExternal'].map((usage) => ({ messageId: 'missing' as const, usage: usage as 'Default', message: 'which a Standard Edition server needs' })),
    },
    {
      name: 'a single Edge with no Internal certificate: nothing to compare, still missing',
      deployment: deployment({ pools: [edgePool({ ...EDGE, Internal: undefined }, 1)] }),
      findings: [{ messageId: 'missing', server: 'edge01.contoso.com', usage: 'Internal', message: 'which an Edge pool needs' }],
    },
    {
      name: 'a whole Edge pool without A/V authentication: each server',
      deployment: deployment({ pools: [edgePool({ ...EDGE, AudioVideoAuthentication: undefined }, 2)] }),
      findings: ['edge01.contoso.com', 'edge02.contoso.com'].map((server) => ({ messageId: 'missing' as const, server, usage: 'AudioVideoAuthentication' as const, message: 'Media Relay Authentication Service' })),
    },
    {
      name: 'an Edge with an AccessEdgeExternal certificate and no DataEdgeExternal one',
      deployment: deployment({ pools: [edgePool({ ...EDGE, DataEdgeExternal: undefined }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'DataEdgeExternal', message: 'the Web Conferencing Edge service' }],
    },
    {
      name: 'an Edge whose peer holds the certificate it lacks: import it from the peer',
      deployment: deployment({ pools: [edgePool(EDGE, 3, { per: { 2: { assignments: { ...EDGE, Internal: undefined } } } })] }),
      findings: [
        {
          messageId: 'missingInPool',
          server: 'edge03.contoso.com',
          usage: 'Internal',
          message: `(${certificateLabel(certs.good!)}: edge01.contoso.com, edge02.contoso.com)`,
        },
      ],
    },
    {
      // The certificate the others hold may be at fault itself: the advice says what the right one has
      // (the Edge internal row of Gg412750: the pool's internal FQDN, an exportable key), never "that one".
      name: 'peers holding different certificates: each named, and the advice says what the certificate must have',
      deployment: deployment({ pools: [edgePool(EDGE, 3, { per: { 1: { assignments: { ...EDGE, Internal: 'rsa-1024' } }, 2: { assignments: { ...EDGE, Internal: undefined } } } })] }),
      findings: [
        {
          messageId: 'missingInPool',
          server: 'edge03.contoso.com',
          message: `(${certificateLabel(certs.good!)}: edge01.contoso.com; ${certificateLabel(certs['rsa-1024']!)}: edge02.contoso.com)`,
        },
      ],
    },
    {
      // Certificate requirements for internal servers: each Front End's certificate names its own FQDN
      // beside the pool's, so a peer's certificate is no copy to import, unlike an Edge pool's.
      name: 'a Front End whose peer holds the usage it lacks: request its own',
      deployment: deployment({ pools: [frontEndPool(FE, 2, { per: { 1: { assignments: { ...FE, WebServicesExternal: undefined } } } })] }),
      findings: [{ messageId: 'missing', server: 'fe02.contoso.com', usage: 'WebServicesExternal' }],
    },
    {
      name: 'XMPP federation on, no XmppServer certificate',
      deployment: deployment({ pools: [xmpp(edgePool(EDGE, 1), true)] }),
      findings: [{ messageId: 'missing', usage: 'XmppServer', message: 'the XMPP gateway' }],
    },
    {
      name: 'a stand-alone Mediation server with nothing but an unrelated usage',
      deployment: single('med01.contoso.com', 'Mediation', { WebServicesInternal: 'mediation' }),
      findings: [{ messageId: 'missing', usage: 'Default', message: 'which a Mediation pool needs' }],
    },
  ],
});
