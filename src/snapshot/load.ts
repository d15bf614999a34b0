import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { dateProblem, parseIsoDate } from '../dates.js';
import { InputError } from '../errors.js';
import { Confinement } from '../files.js';
import { readCertificateSources, type CertificateSourceOptions } from './certificates.js';
import { readCrlSources } from './crls.js';
import type { AssignmentDocument, PoolDocument, ServerDocument, SnapshotDocument } from './document.js';
import { ErrorCollector, shown } from './errors.js';
import type { Assignment, Deployment, Pool, Server, SourceLocation, StoreEntry } from './model.js';
import { validate } from './schema-validator.generated.js';
import { isEmptyYaml, YamlSource, type DocumentPath } from './source.js';
import { DEFAULT_MAX_TEXT_BYTES, readTextFile } from './text.js';
import { normaliseThumbprint } from './thumbprint.js';

/** The names a snapshot may have in a folder given to `lint`, in the order they are looked for. */
export const SNAPSHOT_FILE_NAMES = [
  'snapshot.yaml',
  'snapshot.yml',
  'snapshot.json',
  'sfb-snapshot.yaml',
  'sfb-snapshot.yml',
  'sfb-snapshot.json',
];

export interface LoadOptions {
  /** Where `passwordEnv` variables are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Largest file accepted, in bytes: the snapshot, and each certificate file it lists (default
   * DEFAULT_MAX_TEXT_BYTES for the snapshot, DEFAULT_MAX_BYTES for certificate files).
   */
  maxBytes?: number;
  /**
   * The root the snapshot file and every file it names must stay inside (default: the repository
   * holding the snapshot, else its folder; docs/security.md).
   */
  confinement?: Confinement;
  /** Which `passwordEnv` variables the snapshot may name (default: PFX_PASSWORD and *_PFX_PASSWORD). */
  passwordEnvAllowed?: CertificateSourceOptions['passwordEnvAllowed'];
  /** Told of each file skipped in a certificate folder (a private key, a CSR, a CRL), and why. */
  onNotice?: CertificateSourceOptions['onNotice'];
}

/**
 * Loads a snapshot file, or the one snapshot file in a folder (SNAPSHOT_FILE_NAMES), with the
 * certificates it lists. Throws InputError, or InputErrorList when there are several, each naming the
 * file and line and saying what to do.
 */
export function loadSnapshot(pathToFileOrFolder: string, options: LoadOptions = {}): Deployment {
  const path = snapshotFile(pathToFileOrFolder);
  const confinement = options.confinement ?? Confinement.around(path);
  confinement.check(path, path, { path });
  const text = readTextFile(path, options.maxBytes ?? DEFAULT_MAX_TEXT_BYTES);
  // YAML reads an empty file as null: say it is empty, and what a snapshot holds.
  if (isEmptyYaml(text)) {
    throw new InputError('the snapshot is empty', { path }, 'A snapshot holds version: 1, the SIP domains (sipDomains) and the pools with their servers (docs/snapshot.md); sfb-certlint import writes one from the topology.');
  }
  const source = new YamlSource<SnapshotDocument>(path, text, {
    validate,
    what: 'snapshot',
    docs: 'docs/snapshot.md',
  });
  const doc = source.read();
  return new ModelBuilder(source, doc, { ...options, env: options.env ?? process.env, confinement }).build();
}

/**
 * The snapshots under `folder`, as `lint FOLDER` finds them (as ESLint walks a directory): the folder
 * itself when it holds a snapshot file (its subfolders are then its certificates), else every
 * subfolder that does, at any depth, in name order. `node_modules`, folders whose names start with a
 * dot and symbolic links are not entered. Empty when there is none.
 */
export function findSnapshots(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => SNAPSHOT_FILE_NAMES.includes(e.name) && !e.isDirectory())) {
      found.push(dir);
      return;
    }
    if (depth >= MAX_WALK_DEPTH) return;
    for (const e of entries.filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      walk(join(dir, e.name), depth + 1);
    }
  };
  walk(folder, 0);
  return found;
}

/** Folders below a linted folder that are searched for snapshots: deeper is a mistake (or a loop of bind mounts). */
const MAX_WALK_DEPTH = 16;

function snapshotFile(path: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new InputError('snapshot not found', { path });
  }
  if (!isFolder) return path;
  const present = new Set(readdirSync(path));
  const found = SNAPSHOT_FILE_NAMES.filter((name) => present.has(name));
  if (found.length === 1) return join(path, found[0]!);
  throw new InputError(
    found.length === 0 ? 'the folder holds no snapshot file' : `the folder holds several snapshot files (${found.join(', ')})`,
    { path },
    `A snapshot folder holds exactly one of ${SNAPSHOT_FILE_NAMES.join(', ')}; or name the file itself.`,
  );
}

/**
 * A path as written in the snapshot, for this system: `certs\\fe01.cer`, as an admin on Windows writes it,
 * is `certs/fe01.cer` elsewhere too (a backslash in a file name is legal on Linux, but no one means it).
 */
const nativePath = (written: string) => (sep === '/' ? written.replace(/\\/g, '/') : written);

/** Turns a schema-valid document into the model, checking what the schema cannot: references and uniqueness. */
class ModelBuilder {
  private readonly errors = new ErrorCollector();
  /** Every thumbprint the snapshot names, with where, to check against the certificate files. */
  private readonly references: Array<{ thumbprint: string; what: string; location: SourceLocation }> = [];

  constructor(
    private readonly source: YamlSource<SnapshotDocument>,
    private readonly doc: SnapshotDocument,
    private readonly options: CertificateSourceOptions,
  ) {}

  build(): Deployment {
    const { doc } = this;
    const sipDomains = this.sipDomains();
    const sites = (doc.sites ?? []).map((s) => ({ id: String(s.id), name: s.name }));
    this.checkUnique(sites.map((s, i) => ({ key: s.id, path: ['sites', i, 'id'] })), 'site id');
    const siteIds = new Set(sites.map((s) => s.id));
    const pools = doc.pools.map((p, i) => this.pool(p, ['pools', i], siteIds));
    this.checkUnique(pools.map((p, i) => ({ key: p.fqdn, path: ['pools', i, 'fqdn'] })), 'pool');
    this.checkUnique(
      pools.flatMap((p, i) => p.servers.map((s, j) => ({ key: s.fqdn, path: ['pools', i, 'servers', j, 'fqdn'] }))),
      'server',
    );

    const folder = dirname(this.source.path);
    const certificates = readCertificateSources(
      (doc.certificates ?? []).map((c, i) => ({ ...c, path: resolve(folder, nativePath(c.path)), written: c.path, location: this.source.where(['certificates', i]) })),
      this.options,
    );
    this.errors.push(...certificates.errors);
    const crls = readCrlSources(
      (doc.crls ?? []).map((c, i) => ({ path: resolve(folder, nativePath(c.path)), written: c.path, location: this.source.where(['crls', i]) })),
      { ...this.options, confinement: this.options.confinement ?? Confinement.none() },
    );
    this.errors.push(...crls.errors);
    // An unknown thumbprint is only worth reporting when every listed file could be read.
    if (certificates.errors.length === 0) {
      for (const ref of this.references) {
        if (!certificates.index.get(ref.thumbprint)) {
          this.errors.push(
            new InputError(`${ref.what} ${ref.thumbprint} is in none of the certificate files the snapshot lists`, ref.location, 'List the file or folder that holds it under certificates:, or correct the thumbprint.'),
          );
        }
      }
    }
    this.errors.throwIfAny({ path: this.source.path });

    return {
      path: this.source.path,
      version: doc.version,
      ...(doc.name !== undefined && { name: doc.name }),
      sipDomains,
      simpleUrls: {
        meet: (doc.simpleUrls?.meet ?? []).map((m) => ({ ...(m.domain !== undefined && { domain: m.domain.toLowerCase() }), url: m.url })),
        dialin: doc.simpleUrls?.dialin ?? [],
        admin: doc.simpleUrls?.admin ?? [],
      },
      sites,
      dnsNames: [...new Set((doc.dnsNames ?? []).map((name) => name.toLowerCase()))],
      pools,
      certificates: certificates.index,
      certificateFiles: certificates.files,
      crls: crls.crls,
      crlFiles: crls.files,
    };
  }

  private sipDomains(): Deployment['sipDomains'] {
    const domains = this.doc.sipDomains.map((d) => ({ name: d.name.toLowerCase(), isDefault: d.default === true }));
    this.checkUnique(domains.map((d, i) => ({ key: d.name, path: ['sipDomains', i, 'name'] })), 'SIP domain');
    const defaults = domains.filter((d) => d.isDefault).length;
    if (defaults > 1) this.errors.push(new InputError('sipDomains: more than one domain is marked default: true', this.source.where(['sipDomains'])));
    if (defaults === 0 && domains.length === 1) domains[0]!.isDefault = true;
    else if (defaults === 0) {
      this.errors.push(new InputError('sipDomains: mark the default SIP domain with default: true', this.source.where(['sipDomains'])));
    }
    return domains;
  }

  private pool(p: PoolDocument, path: DocumentPath, siteIds: Set<string>): Pool {
    const fqdn = p.fqdn.toLowerCase();
    const site = p.site === undefined ? undefined : String(p.site);
    if (site !== undefined && !siteIds.has(site)) {
      this.errors.push(new InputError(`site: no site has the id "${site}"`, this.source.where([...path, 'site']), 'Declare it under sites:, or correct the id.'));
    }
    return {
      fqdn,
      role: p.role,
      ...(site !== undefined && { site }),
      ...(p.webServices && { webServices: lowerCaseValues(p.webServices) }),
      ...(p.edge && { edge: edgeOf(p.edge) }),
      servers: p.servers.map((s, i) => this.server(s, fqdn, [...path, 'servers', i])),
      location: this.source.where(path),
    };
  }

  private server(s: ServerDocument, pool: string, path: DocumentPath): Server {
    const fqdn = s.fqdn.toLowerCase();
    const assignments = (s.assignments ?? []).map((a, i) => this.assignment(a, fqdn, [...path, 'assignments', i]));
    this.checkUnique(assignments.map((a, i) => ({ key: a.usage, path: [...path, 'assignments', i, 'usage'] })), 'usage');
    const store = (name: 'personal' | 'root' | 'intermediate'): StoreEntry[] | null => {
      const entries = s.stores?.[name];
      if (!entries) return null;
      return entries.map((entry, i) => {
        const location = this.source.where([...path, 'stores', name, i]);
        const { thumbprint, ...facts } = entry;
        return { thumbprint: this.thumbprint(thumbprint, `certificate in the ${name} store of ${fqdn}`, location), ...facts, location };
      });
    };
    return {
      fqdn,
      pool,
      ...(s.os && { os: s.os }),
      assignments,
      assignmentsCollected: s.assignments !== undefined,
      stores: { personal: store('personal'), root: store('root'), intermediate: store('intermediate') },
      location: this.source.where(path),
    };
  }

  private assignment(a: AssignmentDocument, server: string, path: DocumentPath): Assignment {
    const location = this.source.where(path);
    const what = `${a.usage} certificate of ${server}`;
    const effective = a.effectiveDate === undefined ? undefined : parseIsoDate(a.effectiveDate);
    if (effective && 'problem' in effective) {
      this.errors.push(new InputError(dateProblem('effectiveDate', shown(a.effectiveDate), effective.problem), this.source.where([...path, 'effectiveDate'])));
    }
    return {
      usage: a.usage,
      thumbprint: this.thumbprint(a.thumbprint, what, location),
      ...(a.previousThumbprint !== undefined && { previousThumbprint: this.thumbprint(a.previousThumbprint, `previous ${what}`, location) }),
      ...(a.effectiveDate !== undefined && { effectiveDate: a.effectiveDate }),
      location,
    };
  }

  /** The schema accepted the text, so it normalises; the thumbprint is remembered for resolution. */
  private thumbprint(text: string, what: string, location: SourceLocation): string {
    const thumbprint = normaliseThumbprint(text)!;
    this.references.push({ thumbprint, what, location });
    return thumbprint;
  }

  private checkUnique(items: Array<{ key: string; path: DocumentPath }>, what: string): void {
    const first = new Map<string, DocumentPath>();
    for (const { key, path } of items) {
      const earlier = first.get(key);
      if (!earlier) first.set(key, path);
      else this.errors.push(new InputError(`${what} ${key} appears twice (first at line ${this.source.where(earlier).line})`, this.source.where(path)));
    }
  }
}

/** FQDNs lower-cased; other values (an Edge pool's `federation`) as written. */
function lowerCaseValues<T extends object>(fqdns: T): T {
  return Object.fromEntries(Object.entries(fqdns).map(([k, v]) => [k, typeof v === 'string' ? v.toLowerCase() : v])) as T;
}

/** The Edge FQDNs in lower case; the XMPP flag as it is. */
function edgeOf({ xmppFederation, ...fqdns }: NonNullable<PoolDocument['edge']>): NonNullable<Pool['edge']> {
  return { ...lowerCaseValues(fqdns), ...(xmppFederation !== undefined && { xmppFederation }) };
}
