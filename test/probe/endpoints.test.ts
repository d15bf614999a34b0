import { readFileSync, writeFileSync, mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { commandLineEndpoint, deriveEndpoints, endpointKey, parseConnectTo, parseHostPort } from '../../src/probe/endpoints.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/probe/', import.meta.url));

/** The fixture snapshot, edited: `edit` changes its text. */
function snapshot(edit: (text: string) => string = (t) => t) {
  const dir = mkdtempSync(join(tmpdir(), 'sfb-certlint-probe-'));
  cpSync(join(FIXTURE, 'certs'), join(dir, 'certs'), { recursive: true });
  writeFileSync(join(dir, 'snapshot.yaml'), edit(readFileSync(join(FIXTURE, 'snapshot.yaml'), 'utf8')));
  return loadSnapshot(join(dir, 'snapshot.yaml'));
}

const summary = (text?: (t: string) => string) =>
  deriveEndpoints(snapshot(text)).endpoints.map((e) => `${endpointKey(e)} ${e.exposure} name=${e.name} usages=${e.usages.join('|')} servers=${e.servers.length}${e.mutualTls ? ' mtls' : ''}`);

describe('deriveEndpoints: the TLS endpoints of a deployment, from Microsoft\'s port requirements', () => {
  it('lists every endpoint once, each with whom it serves, the name asked for and the usage that serves it', () => {
    // Written from the Lync Server 2013 / Skype for Business port tables (docs/probe.md cites them):
    // Front End SIP/TLS 5061 (MTLS between servers), internal web 443, external web 4443 (the reverse
    // proxy's target, asked for by the external web FQDN); the reverse proxy on 443 for the external web
    // FQDN, meet and dial-in URLs; admin inside only; the Edge internal interface on 5061 by the Edge
    // internal FQDN; the Access Edge on 443 for users and 5061 for federation; the Web Conferencing Edge on 443.
    expect(summary()).toEqual([
      'fe01.contoso.com:5061 internal name=fe01.contoso.com usages=Default servers=1 mtls',
      'fe01.contoso.com:443 internal name=fe01.contoso.com usages=WebServicesInternal servers=1',
      'fe01.contoso.com:4443 internal name=webext.contoso.com usages=WebServicesExternal servers=1',
      'fe02.contoso.com:5061 internal name=fe02.contoso.com usages=Default servers=1 mtls',
      'fe02.contoso.com:443 internal name=fe02.contoso.com usages=WebServicesInternal servers=1',
      'fe02.contoso.com:4443 internal name=webext.contoso.com usages=WebServicesExternal servers=1',
      'fe03.contoso.com:5061 internal name=fe03.contoso.com usages=Default servers=1 mtls',
      'fe03.contoso.com:443 internal name=fe03.contoso.com usages=WebServicesInternal servers=1',
      'fe03.contoso.com:4443 internal name=webext.contoso.com usages=WebServicesExternal servers=1',
      'pool01.contoso.com:5061 internal name=pool01.contoso.com usages=Default servers=3 mtls',
      'pool01.contoso.com:443 internal name=pool01.contoso.com usages=WebServicesInternal servers=3',
      'pool01.contoso.com:4443 internal name=webext.contoso.com usages=WebServicesExternal servers=3',
      'webext.contoso.com:443 external name=webext.contoso.com usages=WebServicesExternal servers=0',
      'edge01.contoso.com:5061 internal name=edgepool-int.contoso.com usages=Internal servers=1 mtls',
      'edgepool-int.contoso.com:5061 internal name=edgepool-int.contoso.com usages=Internal servers=1 mtls',
      'sip.contoso.com:443 external name=sip.contoso.com usages=AccessEdgeExternal|External servers=1',
      'sip.contoso.com:5061 external name=sip.contoso.com usages=AccessEdgeExternal|External servers=1 mtls',
      'webconf.contoso.com:443 external name=webconf.contoso.com usages=DataEdgeExternal|External servers=1',
      'meet.contoso.com:443 external name=meet.contoso.com usages=WebServicesExternal servers=0',
      'dialin.contoso.com:443 external name=dialin.contoso.com usages=WebServicesExternal servers=0',
      'admin.contoso.com:443 internal name=admin.contoso.com usages=WebServicesInternal servers=3',
    ]);
  });

  it('probes the Access Edge on 5061 only where federation is enabled', () => {
    const keys = (t: (s: string) => string) => deriveEndpoints(snapshot(t)).endpoints.map(endpointKey);
    expect(keys((t) => t.replace('federation: true', 'federation: false'))).not.toContain('sip.contoso.com:5061');
    expect(keys((t) => t.replace('      federation: true\n', ''))).not.toContain('sip.contoso.com:5061');
  });

  it('places each endpoint where the snapshot declares it: the assignment of its usage, else the pool', () => {
    const text = readFileSync(join(FIXTURE, 'snapshot.yaml'), 'utf8').split('\n');
    const { endpoints } = deriveEndpoints(snapshot());
    const lineOf = (key: string) => text[endpoints.find((e) => endpointKey(e) === key)!.location.line! - 1]!.trim();
    expect(lineOf('fe01.contoso.com:4443')).toBe('- usage: WebServicesExternal');
    expect(lineOf('edge01.contoso.com:5061')).toBe('- usage: Internal');
    expect(lineOf('sip.contoso.com:443')).toBe('- fqdn: edgepool-int.contoso.com');
  });

  it('reports a simple URL without a usable host, and derives the rest', () => {
    const { endpoints, errors } = deriveEndpoints(snapshot((t) => t.replace('https://dialin.contoso.com', 'https://dial in.contoso.com')));
    expect(errors.map((e) => e.message)).toEqual(['the dial-in simple URL https://dial in.contoso.com has no host name the probe can connect to']);
    expect(endpoints.map(endpointKey)).toContain('meet.contoso.com:443');
  });
});

describe('endpoints from the command line', () => {
  it('HOST:PORT: names lower-cased, IPv6 in brackets', () => {
    expect(parseHostPort('SIP.Contoso.com:5061', '--endpoint')).toEqual({ host: 'sip.contoso.com', port: 5061 });
    expect(parseHostPort('192.0.2.7:443', '--endpoint')).toEqual({ host: '192.0.2.7', port: 443 });
    expect(parseHostPort('[2001:db8::1]:443', '--endpoint')).toEqual({ host: '2001:db8::1', port: 443 });
    expect(endpointKey({ host: '2001:db8::1', port: 443 })).toBe('[2001:db8::1]:443');
  });

  it.each(['sip.contoso.com', 'sip.contoso.com:0', 'sip.contoso.com:65536', 'sip contoso.com:443', ':443', '2001:db8::1:443', 'https://sip.contoso.com:443'])('refuses %j', (text) => {
    expect(() => parseHostPort(text, '--endpoint')).toThrow(InputError);
  });

  it('--connect-to HOST:PORT=ADDRESS:PORT', () => {
    expect(parseConnectTo('pool01.contoso.com:443=127.0.0.1:8443')).toEqual({ from: 'pool01.contoso.com:443', to: { host: '127.0.0.1', port: 8443 } });
    for (const bad of ['pool01.contoso.com:443', 'pool01.contoso.com:443=', 'a:1=b:2=c:3', 'pool01.contoso.com=127.0.0.1:443']) expect(() => parseConnectTo(bad)).toThrow(InputError);
  });

  it('an endpoint the snapshot does not know is judged as one reached from outside', () => {
    expect(commandLineEndpoint({ host: 'sip.fabrikam.com', port: 5061 })).toMatchObject({ exposure: 'external', name: 'sip.fabrikam.com', usages: ['AccessEdgeExternal'], servers: [], mutualTls: true, location: { path: '--endpoint' } });
    expect(commandLineEndpoint({ host: 'meet.fabrikam.com', port: 443 })).toMatchObject({ exposure: 'external', usages: ['WebServicesExternal'], mutualTls: false });
  });
});
