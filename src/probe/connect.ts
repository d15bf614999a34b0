/**
 * One TLS handshake with one endpoint, and nothing more: connect, send a ClientHello with the name
 * (SNI), record what the server sends until its handshake is done, then close. No client certificate,
 * no credentials and no application data are ever sent; a server that asks for a certificate gets the
 * empty list TLS allows.
 */
import { lookup } from 'node:dns/promises';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { printable } from '../errors.js';
import { readServerFlight } from './handshake.js';

export interface ProbeTarget {
  /** Where to connect: an IP address, or a name to resolve. */
  address: string;
  port: number;
  /** The name sent as SNI (never an IP address, which TLS does not allow there). */
  serverName?: string;
}

export type FailureKind = 'dns' | 'refused' | 'unreachable' | 'timeout' | 'closed' | 'not-tls' | 'handshake';

export interface ProbeFailure {
  kind: FailureKind;
  /** Whether the TCP connection was made: a time-out before is a silent address, after it a server that never answers. */
  connected: boolean;
  /** What went wrong, for people: an error code, a TLS alert, the first bytes of a server that is not TLS (escaped). */
  detail: string;
}

export interface Handshake {
  /** When the probe started (the wall clock, whatever --now says), and how long it took. */
  startedAt: Date;
  durationMs: number;
  /** The address connected to, when a connection was made. */
  remoteAddress?: string;
  /** What the TLS session agreed, when the server got as far as its certificates. */
  tls?: {
    version: string | null;
    cipher: string | null;
    /** Whether the handshake finished (a server that insists on a client certificate ends it early). */
    completed: boolean;
    clientCertificateRequested: boolean;
    /** The fatal alert the server sent, if any. */
    alert?: string;
  };
  /** The certificates the server sent, DER, in the order sent; empty when it sent none. */
  certificates: Uint8Array[];
  failure?: ProbeFailure;
}

export interface ProbeOptions {
  /** The whole probe's time limit: connecting, and the server's answer. */
  timeoutMs: number;
  /**
   * Refuses to connect where this returns false, asked before anything is looked up or sent: with the
   * address as given (a name, or an IP address). The tests allow loopback addresses only.
   */
  allowAddress?: (address: string) => boolean;
}

/** The most a server may send before its handshake is read: a chain is kilobytes; a hostile server could stream gigabytes. */
const MAX_RECEIVED_BYTES = 1024 * 1024;
/** Characters of a non-TLS answer shown in a finding. */
const PREVIEW = 40;

/** Performs the handshake with `target` and resolves with what was seen; never rejects. */
export async function probeTls(target: ProbeTarget, options: ProbeOptions): Promise<Handshake> {
  const startedAt = new Date();
  const deadline = startedAt.getTime() + options.timeoutMs;
  const failed = (failure: ProbeFailure): Handshake => ({ startedAt, durationMs: Date.now() - startedAt.getTime(), certificates: [], failure });
  if (options.allowAddress && !options.allowAddress(target.address)) {
    return failed({ kind: 'unreachable', connected: false, detail: `${printable(target.address, 200)} is not an allowed address` });
  }
  // Resolved here, not by net.connect, so that the address connected to is known and recorded.
  let address: string;
  try {
    address = isIP(target.address) ? target.address : await withDeadline(lookup(target.address).then((r) => r.address), deadline);
  } catch (e) {
    if (e === TIMED_OUT) return failed({ kind: 'timeout', connected: false, detail: 'no answer from DNS' });
    return failed({ kind: 'dns', connected: false, detail: printable((e as NodeJS.ErrnoException).code ?? String(e), 200) });
  }
  return handshake(address, target, startedAt, deadline);
}

const TIMED_OUT = Symbol('timed out');

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(TIMED_OUT), Math.max(0, deadline - Date.now()))));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function handshake(address: string, target: ProbeTarget, startedAt: Date, deadline: number): Promise<Handshake> {
  return new Promise((resolve) => {
    const raw = connectTcp({ host: address, port: target.port });
    const recorder = new Recorder(raw);
    let connected = false;
    raw.once('connect', () => (connected = true));
    let serverHandshakeSecret: Buffer | undefined;
    const socket: TLSSocket = connectTls({
      socket: recorder,
      ...(target.serverName !== undefined && isIP(target.serverName) === 0 && { servername: target.serverName }),
      // The probe judges the certificates itself: it must see them whatever they are.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      // Offer every version a Lync 2013 server may still speak, so that an old one is seen, not missed.
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    socket.on('keylog', (line: Buffer) => {
      const m = /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]+ ([0-9a-f]+)/i.exec(line.toString('latin1'));
      if (m) serverHandshakeSecret = Buffer.from(m[1]!, 'hex');
    });

    let finished = false;
    const finish = (error?: NodeJS.ErrnoException | 'timeout' | 'closed') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const completed = error === undefined;
      const received = recorder.received();
      const flight = readServerFlight(received, serverHandshakeSecret);
      const cipher = socket.getCipher() as ReturnType<TLSSocket['getCipher']> | undefined;
      const result: Handshake = {
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        ...(connected && { remoteAddress: address }),
        certificates: flight.certificates ?? [],
      };
      if (flight.certificates) {
        result.tls = {
          version: socket.getProtocol() ?? null,
          cipher: cipher?.standardName ?? cipher?.name ?? null,
          completed,
          clientCertificateRequested: flight.certificateRequested,
          ...(flight.alert !== undefined && { alert: flight.alert }),
        };
      }
      // A server that ends the handshake after sending its certificates (no client certificate) still
      // served them: what it did is in `tls`, and it is judged like any other.
      if (!completed && !flight.certificates) result.failure = describeFailure(error!, connected, received, flight);
      else if (!flight.certificates) result.failure = { kind: 'handshake', connected, detail: "the server's Certificate message could not be read" };
      socket.destroy();
      raw.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()));
    socket.once('secureConnect', () => finish());
    socket.once('error', (e) => finish(e));
    socket.once('close', () => finish('closed'));
    raw.once('error', (e) => finish(e));
  });
}

function describeFailure(error: NodeJS.ErrnoException | 'timeout' | 'closed', connected: boolean, received: Uint8Array, flight: ReturnType<typeof readServerFlight>): ProbeFailure {
  if (received.length > 0 && !flight.tls) {
    return { kind: 'not-tls', connected, detail: `"${printable(Buffer.from(received.subarray(0, PREVIEW * 4)).toString('latin1'), PREVIEW)}"` };
  }
  if (error === 'timeout') return { kind: 'timeout', connected, detail: connected ? 'no TLS answer' : 'no TCP connection' };
  if (error === 'closed') return { kind: 'closed', connected, detail: received.length === 0 ? 'closed without answering' : 'closed during the handshake' };
  const code = error.code ?? '';
  if (flight.alert !== undefined) return { kind: 'handshake', connected, detail: `alert ${flight.alert}` };
  const detail = printable(code || error.message, 200);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') return { kind: 'dns', connected: false, detail };
  if (code === 'ECONNREFUSED') return { kind: 'refused', connected: false, detail };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', connected, detail };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return { kind: 'unreachable', connected: false, detail };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'closed', connected, detail: received.length === 0 ? 'reset without answering' : 'reset during the handshake' };
  return { kind: 'handshake', connected, detail: printable(error.message, 200) };
}

/**
 * The TCP socket as a stream for the TLS client, keeping a copy of what the server sends. TLS over a
 * net.Socket reads it natively, out of JavaScript's sight; over this stream every byte passes here.
 */
class Recorder extends Duplex {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly raw: Socket) {
    super();
    raw.on('data', (chunk: Buffer) => {
      this.size += chunk.length;
      if (this.size > MAX_RECEIVED_BYTES) {
        this.destroy(Object.assign(new Error(`the server sent more than ${MAX_RECEIVED_BYTES} bytes without finishing its handshake`), { code: 'ERR_PROBE_TOO_MUCH' }));
        return;
      }
      this.chunks.push(chunk);
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('close', () => this.destroy());
  }

  /** What the server sent, up to the limit. */
  received(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.raw.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }
}
