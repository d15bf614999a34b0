/**
 * `sfb-certlint import`: a native snapshot from the published topology and, optionally, the inventory
 * the collector script gathered on each server. The certificates go beside the snapshot as
 * `certs/<THUMBPRINT>.cer`; the snapshot is YAML with comments for the person who reviews it.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { packageFile } from '../../package-files.js';
import { Document, isScalar } from 'yaml';
import { createFolders, writeAtomically, writeError } from '../../files.js';
import { SNAPSHOT_VERSION, type AssignmentDocument, type PoolDocument, type ServerDocument, type SnapshotDocument } from '../document.js';
import { readInventory, type CollectedCertificate, type Inventory, type ServerInventory } from './inventory.js';
import { readTopologyFile } from './tbxml.js';

export interface ImportOptions {
  topology: string;
  inventory?: string;
  output: string;
  /** Largest input file accepted, in bytes. */
  maxBytes?: number;
}

export interface ImportResult {
  pools: number;
  servers: number;
  /** Certificate files written into `certs/` beside the snapshot. */
  certificates: number;
  warnings: string[];
}

/** The folder, beside the snapshot, that the certificates are written to. */
export const CERTIFICATE_FOLDER = 'certs';

const SCHEMA = packageFile('schema/snapshot.schema.json');

export function importSnapshot(options: ImportOptions): ImportResult {
  const topology = readTopologyFile(options.topology, options.maxBytes);
  const inventory = options.inventory === undefined ? undefined : readInventory(options.inventory, options.maxBytes);
  const warnings = [...(inventory?.warnings ?? [])];
  const comments: Comments = [];

  const collected = new Map(inventory?.servers.map((s) => [s.fqdn, s]));
  const pools: PoolDocument[] = topology.pools.map(({ reason, ...pool }, p) => {
    comments.push({ path: ['pools', p], text: `${pool.role}: ${reason}` });
    const servers = pool.servers.map((server, s): ServerDocument => {
      const found = collected.get(server.fqdn);
      collected.delete(server.fqdn);
      if (inventory && !found) warnings.push(`no inventory folder for ${server.fqdn}: its certificates are left out`);
      if (!found) {
        comments.push({ path: ['pools', p, 'servers', s], text: 'Not collected: lint reports missing data until assignments and stores are added.' });
        return server;
      }
      return { ...server, ...serverInventory(found, inventory!, ['pools', p, 'servers', s], comments, warnings) };
    });
    return { ...pool, servers };
  });
  for (const fqdn of collected.keys()) warnings.push(`${join(options.inventory!, fqdn)}: no server of that name in the topology; left out`);

  const folder = dirname(options.output);
  createFolders(folder, "the snapshot's folder");
  const written = writeCertificates(folder, inventory?.certificates);
  const doc: SnapshotDocument = {
    version: SNAPSHOT_VERSION,
    sipDomains: topology.sipDomains,
    ...(topology.simpleUrls && { simpleUrls: topology.simpleUrls }),
    sites: topology.sites,
    ...(written > 0 && { certificates: [{ path: `${CERTIFICATE_FOLDER}/` }] }),
    pools,
  };
  writeAtomically(options.output, render(doc, comments, inventory?.certificates, header(options, topology.simpleUrls !== undefined, topology.skipped)), 'snapshot');
  return { pools: pools.length, servers: pools.reduce((n, p) => n + p.servers.length, 0), certificates: written, warnings };
}

/** A server's Windows version, assignments and stores; an assignment whose certificate no collected store holds is left out, and said so. */
function serverInventory(server: ServerInventory, inventory: Inventory, path: Array<string | number>, comments: Comments, warnings: string[]): Partial<ServerDocument> {
  const known = (thumbprint: string) => inventory.certificates.has(thumbprint);
  const missing: string[] = [];
  const assignments = server.assignments?.flatMap((a): AssignmentDocument[] => {
    if (!known(a.thumbprint)) {
      missing.push(`${a.usage} ${a.thumbprint}`);
      return [];
    }
    if (a.previousThumbprint && !known(a.previousThumbprint)) {
      missing.push(`${a.usage} previous ${a.previousThumbprint}`);
      const { previousThumbprint: _, ...rest } = a;
      return [rest];
    }
    return [a];
  });
  if (missing.length > 0) {
    const note = `left out, as no collected store holds the certificate (removed from the server?): ${missing.join('; ')}`;
    warnings.push(`${server.fqdn}: ${note}`);
    comments.push({ path: [...path, 'assignments'], text: note.charAt(0).toUpperCase() + note.slice(1) });
  }
  return { ...(server.os && { os: server.os }), ...(assignments && { assignments }), ...(Object.keys(server.stores).length > 0 && { stores: server.stores }) };
}

function writeCertificates(folder: string, certificates: Map<string, CollectedCertificate> | undefined): number {
  if (!certificates?.size) return 0;
  const certs = join(folder, CERTIFICATE_FOLDER);
  createFolders(certs, 'the certificate folder');
  for (const [thumbprint, { der }] of certificates) {
    const path = join(certs, `${thumbprint}.cer`);
    try {
      writeFileSync(path, der);
    } catch (e) {
      throw writeError(e, 'cannot write the certificate file', path);
    }
  }
  return certificates.size;
}

/** Comments to write above the document's nodes, by path. */
type Comments = Array<{ path: Array<string | number>; text: string }>;

function header(options: ImportOptions, hasSimpleUrls: boolean, skipped: string[]): string[] {
  const schema = relative(dirname(options.output), SCHEMA).split(sep).join('/');
  return [
    `yaml-language-server: $schema=${schema}`,
    `Written by sfb-certlint import from ${basename(options.topology)}${options.inventory ? ` and the inventory in ${basename(options.inventory)}` : ''}.`,
    'Review it like code: docs/snapshot.md describes every field.',
    ...(hasSimpleUrls ? [] : ['Simple URLs are not in the topology: add simpleUrls (meet, dialin, admin) from Get-CsSimpleUrlConfiguration.']),
    ...(skipped.length > 0 ? [`Left out, as no certificate rule applies to their roles: ${skipped.join(', ')}.`] : []),
  ];
}

/** The snapshot as YAML: the header, the pools' roles explained, each thumbprint followed by its certificate's subject. */
function render(data: SnapshotDocument, comments: Comments, certificates: Map<string, CollectedCertificate> | undefined, headerLines: string[]): string {
  const doc = new Document(data);
  doc.commentBefore = headerLines.map((l) => ` ${l}`).join('\n');
  for (const { path, text } of comments) {
    const node = doc.getIn(path, true) as { commentBefore?: string } | undefined;
    if (node) node.commentBefore = ` ${text}`;
  }
  data.pools.forEach((pool, p) =>
    pool.servers.forEach((server, s) => {
      const at = (...rest: Array<string | number>) => ['pools', p, 'servers', s, ...rest];
      const describe = (thumbprint: string | undefined, path: Array<string | number>) => {
        const cert = thumbprint === undefined ? undefined : certificates?.get(thumbprint);
        const node = doc.getIn(path, true);
        if (cert && isScalar(node)) node.comment = ` ${[cert.subject, cert.notAfter && `expires ${cert.notAfter.slice(0, 10)}`].filter(Boolean).join(', ')}`;
      };
      server.assignments?.forEach((a, i) => {
        describe(a.thumbprint, at('assignments', i, 'thumbprint'));
        describe(a.previousThumbprint, at('assignments', i, 'previousThumbprint'));
      });
      for (const store of ['personal', 'root', 'intermediate'] as const) {
        server.stores?.[store]?.forEach((e, i) => describe(e.thumbprint, at('stores', store, i, 'thumbprint')));
      }
    }),
  );
  return doc.toString({ lineWidth: 0 });
}
