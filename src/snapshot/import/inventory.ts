/**
 * Reads what scripts/Collect-SfbCertificates.ps1 writes on each server (docs/collect.md): one folder per
 * server, named by its FQDN, holding cscertificate.json (Get-CsCertificate), my.json, root.json,
 * ca.json (the LocalMachine stores, each certificate with its DER as Base64) and os.json (the Windows
 * version). A file that is absent was not collected.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { thumbprintOf } from '../../certs/x509.js';
import { pushTo } from '../../collections.js';
import { InputError } from '../../errors.js';
import type { AssignmentDocument, CaEntryDocument, PersonalEntryDocument } from '../document.js';
import { ErrorCollector, shown } from '../errors.js';
import { USAGES, type OperatingSystem, type Usage } from '../model.js';
import { DEFAULT_MAX_IMPORT_BYTES } from '../text.js';
import { normaliseThumbprint } from '../thumbprint.js';
import { powerShellDate, readPowerShellJson, type Row } from './powershell-json.js';

export const INVENTORY_FILES = { assignments: 'cscertificate.json', personal: 'my.json', root: 'root.json', intermediate: 'ca.json', os: 'os.json' } as const;

/** Win32_OperatingSystem.Version: major.minor.build (the snapshot schema's form). */
const WINDOWS_VERSION = /^\d+\.\d+(\.\d+){0,2}$/;

export interface ServerInventory {
  /** The folder's name: the server's FQDN, lower-case. */
  fqdn: string;
  /** Undefined when os.json was not collected. */
  os?: OperatingSystem;
  /** Undefined when cscertificate.json was not collected. */
  assignments?: AssignmentDocument[];
  stores: { personal?: PersonalEntryDocument[]; root?: CaEntryDocument[]; intermediate?: CaEntryDocument[] };
}

/** A certificate the inventory holds, with what the reviewer of the snapshot is shown about it. */
export interface CollectedCertificate {
  der: Uint8Array;
  subject?: string;
  notAfter?: string;
}

export interface Inventory {
  servers: ServerInventory[];
  /** Every certificate of every store listing, by thumbprint. */
  certificates: Map<string, CollectedCertificate>;
  /** What was skipped, for the person running the import. */
  warnings: string[];
}

export function readInventory(dir: string, maxBytes = DEFAULT_MAX_IMPORT_BYTES): Inventory {
  let folders: string[];
  try {
    folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    throw new InputError('inventory folder not found', { path: dir });
  }
  if (folders.length === 0) throw new InputError('the inventory folder holds no server folders', { path: dir }, 'Copy each server\'s folder (named by its FQDN) from Collect-SfbCertificates.ps1 here.');
  const reader = new InventoryReader(maxBytes);
  const servers = folders.map((name) => reader.server(join(dir, name), name.toLowerCase()));
  reader.errors.throwIfAny({ path: dir }, 'the rest of the inventory is not checked');
  return { servers, certificates: reader.certificates, warnings: reader.warnings };
}

class InventoryReader {
  readonly errors = new ErrorCollector();
  readonly warnings: string[] = [];
  readonly certificates = new Map<string, CollectedCertificate>();

  constructor(private readonly maxBytes: number) {}


  server(folder: string, fqdn: string): ServerInventory {
    if (this.errors.full) return { fqdn, stores: {} };
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch (e) {
      this.errors.push(new InputError(`cannot read the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { path: folder }));
    }
    const rows = (file: string): Row[] | undefined => {
      // Names are matched without regard to case: files copied from Windows may be My.json.
      const name = names.find((n) => n.toLowerCase() === file);
      if (!name) return undefined;
      try {
        return readPowerShellJson(join(folder, name), this.maxBytes);
      } catch (e) {
        this.errors.push(e as InputError);
        return [];
      }
    };
    const path = (file: string) => join(folder, file);
    const assignmentRows = rows(INVENTORY_FILES.assignments);
    const personal = rows(INVENTORY_FILES.personal);
    const root = rows(INVENTORY_FILES.root);
    const intermediate = rows(INVENTORY_FILES.intermediate);
    const osRows = rows(INVENTORY_FILES.os);
    const server: ServerInventory = { fqdn, stores: {} };
    const os = osRows?.[0] && this.operatingSystem(osRows[0], path(INVENTORY_FILES.os));
    if (os) server.os = os;
    if (personal) server.stores.personal = personal.flatMap((r, i) => this.storeEntry(r, path(INVENTORY_FILES.personal), i, true));
    if (root) server.stores.root = root.flatMap((r, i) => this.storeEntry(r, path(INVENTORY_FILES.root), i, false));
    if (intermediate) server.stores.intermediate = intermediate.flatMap((r, i) => this.storeEntry(r, path(INVENTORY_FILES.intermediate), i, false));
    if (assignmentRows) server.assignments = this.assignments(assignmentRows, path(INVENTORY_FILES.assignments), fqdn);
    if (!assignmentRows && !personal && !root && !intermediate && !osRows) {
      this.warnings.push(`${folder}: none of ${Object.values(INVENTORY_FILES).join(', ')}; nothing collected for ${fqdn}`);
    }
    return server;
  }

  /** A store listing's row, its certificate kept by thumbprint. */
  private storeEntry(row: Row, path: string, index: number, personal: boolean): PersonalEntryDocument[] {
    if (this.errors.full) return [];
    const fail = (message: string, property?: string) => {
      this.errors.push(new InputError(message, { path, element: `[${index}]${property ? `.${property}` : ''}` }));
      return [];
    };
    const thumbprint = typeof row.Thumbprint === 'string' ? normaliseThumbprint(row.Thumbprint) : null;
    if (!thumbprint) return fail(notA('Thumbprint', row.Thumbprint, 'a thumbprint'), 'Thumbprint');
    const der = derOf(row.RawData);
    if (!der) return fail('RawData (the certificate as Base64 DER) is missing or unreadable', 'RawData');
    if (thumbprintOf(der) !== thumbprint) {
      return fail(`RawData is not the certificate with thumbprint ${thumbprint}`, 'RawData');
    }
    if (!this.certificates.has(thumbprint)) {
      const notAfter = powerShellDate(row.NotAfter);
      this.certificates.set(thumbprint, {
        der,
        ...(typeof row.Subject === 'string' && { subject: row.Subject }),
        ...(notAfter && { notAfter }),
      });
    }
    // Windows gives a certificate without a friendly name an empty one.
    const entry: PersonalEntryDocument = { thumbprint, ...(typeof row.FriendlyName === 'string' && /\S/.test(row.FriendlyName) && { friendlyName: row.FriendlyName }) };
    if (!personal) return [entry];
    if (typeof row.HasPrivateKey === 'boolean') entry.hasPrivateKey = row.HasPrivateKey;
    if (typeof row.KeyExportable === 'boolean') entry.exportable = row.KeyExportable;
    if (row.KeyProvider === 'CSP' || row.KeyProvider === 'CNG') entry.keyProvider = row.KeyProvider;
    if (typeof row.KeyProviderName === 'string' && row.KeyProviderName) entry.providerName = row.KeyProviderName;
    return [entry];
  }

  /** os.json: Win32_OperatingSystem's Caption and Version; undefined when it holds neither. */
  private operatingSystem(row: Row, path: string): OperatingSystem | undefined {
    const os: OperatingSystem = {};
    if (typeof row.Caption === 'string' && /\S/.test(row.Caption)) os.caption = row.Caption.trim();
    if (typeof row.Version === 'string' && WINDOWS_VERSION.test(row.Version)) os.version = row.Version;
    else if (row.Version !== undefined && row.Version !== null) this.errors.push(new InputError(notA('Version', row.Version, 'a Windows version number (major.minor.build)'), { path, element: 'Version' }));
    return os.caption !== undefined || os.version !== undefined ? os : undefined;
  }

  /**
   * Get-CsCertificate's rows, one assignment per usage. A staged roll either names the certificate it
   * replaces (PreviousThumbprint) or is listed as a second row of the same usage with an EffectiveDate.
   */
  private assignments(rows: Row[], path: string, fqdn: string): AssignmentDocument[] {
    const byUsage = new Map<Usage, AssignmentDocument[]>();
    rows.forEach((row, index) => {
      if (this.errors.full) return;
      const where = (property: string) => ({ path, element: `[${index}].${property}` });
      if (typeof row.Use !== 'string') {
        this.errors.push(
          new InputError(notA('Use', row.Use, 'a usage name'), where('Use'), 'ConvertTo-Json in Windows PowerShell 5.1 writes enums as numbers: collect with Collect-SfbCertificates.ps1, which writes names.'),
        );
        return;
      }
      if (!(USAGES as readonly string[]).includes(row.Use)) {
        this.warnings.push(`${path}: usage ${row.Use} on ${fqdn} is not one sfb-certlint lints; left out`);
        return;
      }
      const thumbprint = typeof row.Thumbprint === 'string' ? normaliseThumbprint(row.Thumbprint) : null;
      const previous = typeof row.PreviousThumbprint === 'string' && row.PreviousThumbprint ? normaliseThumbprint(row.PreviousThumbprint) : undefined;
      const effectiveDate = powerShellDate(row.EffectiveDate);
      if (!thumbprint) this.errors.push(new InputError(notA('Thumbprint', row.Thumbprint, 'a thumbprint'), where('Thumbprint')));
      if (previous === null) this.errors.push(new InputError(notA('PreviousThumbprint', row.PreviousThumbprint, 'a thumbprint'), where('PreviousThumbprint')));
      if (effectiveDate === null) this.errors.push(new InputError(notA('EffectiveDate', row.EffectiveDate, 'a date'), where('EffectiveDate')));
      if (!thumbprint || previous === null || effectiveDate === null) return;
      const usage = row.Use as Usage;
      pushTo(byUsage, usage, { usage, thumbprint, ...(previous && { previousThumbprint: previous }), ...(effectiveDate && { effectiveDate }) });
    });
    return [...byUsage.values()].flatMap((list) => {
      if (list.length === 1) return list;
      const staged = list.filter((a) => a.effectiveDate !== undefined);
      const current = list.filter((a) => a.effectiveDate === undefined);
      if (list.length > 2 || staged.length !== 1) {
        this.errors.push(new InputError(`${list.length} certificates for usage ${list[0]!.usage}: expected one, or a current one and one staged with an EffectiveDate`, { path }));
        return [];
      }
      return [{ ...staged[0]!, previousThumbprint: current[0]!.thumbprint }];
    });
  }
}

/** RawData as the collector writes it (Base64) or as raw ConvertTo-Json of a certificate does (an array of bytes). */
function derOf(raw: unknown): Uint8Array | undefined {
  if (typeof raw === 'string' && /^[A-Za-z0-9+/=\s]+$/.test(raw)) return new Uint8Array(Buffer.from(raw, 'base64'));
  if (Array.isArray(raw) && raw.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return new Uint8Array(raw as number[]);
  return undefined;
}

/** `Thumbprint "xyz" is not a thumbprint`, or `Thumbprint is missing`. */
function notA(property: string, value: unknown, what: string): string {
  return value === undefined ? `${property} is missing` : `${property} ${shown(value)} is not ${what}`;
}
