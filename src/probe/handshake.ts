/**
 * What a TLS server sent during its handshake, read from the bytes it sent: every certificate of its
 * Certificate message in the order sent, and whether it asked for a client certificate.
 *
 * Why read the bytes: Node's getPeerCertificate(true) rebuilds the chain in issuer order, drops
 * certificates that do not fit, and adds issuers from the client's own trust store, so it cannot tell
 * what was served (a missing intermediate is exactly what a probe must see). Up to TLS 1.2 the server's
 * flight is plaintext; in TLS 1.3 it is encrypted with the server handshake traffic key, which the
 * client's key log (Node's 'keylog' event, RFC 8446 §7.1 and the NSS key log format) gives: the records
 * are decrypted here with that key and nothing else.
 */
import { createDecipheriv, createHmac } from 'node:crypto';

export interface ServerFlight {
  /** Whether the server's first bytes were a TLS record. */
  tls: boolean;
  /** The certificates of the server's Certificate message, DER, in the order sent; null when none was seen. */
  certificates: Uint8Array[] | null;
  /** Whether the server sent a CertificateRequest (asked the client for a certificate). */
  certificateRequested: boolean;
  /** A fatal alert the server sent during the handshake, e.g. `handshake_failure (40)`. */
  alert?: string;
}

/** TLS record content types (RFC 8446 §5.1). */
const RECORD = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23, heartbeat: 24 } as const;
/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4). */
const HANDSHAKE = { serverHello: 2, certificate: 11, certificateRequest: 13, serverHelloDone: 14, finished: 20 } as const;
/** A ServerHello with this random is a HelloRetryRequest (RFC 8446 §4.1.3). */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const EXTENSION_SUPPORTED_VERSIONS = 43;
const TLS13 = 0x0304;

/** The TLS 1.3 cipher suites a Node client offers, with their AEAD and hash (RFC 8446 §B.4). */
const TLS13_SUITES: Record<number, { cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; keyLength: number; hash: 'sha256' | 'sha384' }> = {
  0x1301: { cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  0x1302: { cipher: 'aes-256-gcm', keyLength: 32, hash: 'sha384' },
  0x1303: { cipher: 'chacha20-poly1305', keyLength: 32, hash: 'sha256' },
};

/** Alert descriptions a server may send during a handshake (RFC 8446 §6). */
const ALERTS: Record<number, string> = {
  10: 'unexpected_message',
  20: 'bad_record_mac',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  109: 'missing_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/**
 * Reads the server's handshake flight from the bytes it sent. `serverHandshakeSecret` is the TLS 1.3
 * SERVER_HANDSHAKE_TRAFFIC_SECRET of the connection (absent for TLS 1.2 and older). Stops at the end of
 * the server's flight or at the first thing it cannot read; never throws on hostile input.
 */
export function readServerFlight(bytes: Uint8Array, serverHandshakeSecret?: Uint8Array): ServerFlight {
  const flight: ServerFlight = { tls: isTlsRecord(bytes, 0), certificates: null, certificateRequested: false };
  if (!flight.tls) return flight;
  const messages = new HandshakeStream();
  let decrypter: RecordDecrypter | undefined;
  // After the server's flight only an alert is looked for (one that ends the handshake for want of a client certificate).
  let done = false;
  for (let offset = 0; offset + 5 <= bytes.length; ) {
    if (!isTlsRecord(bytes, offset)) break;
    const length = (bytes[offset + 3]! << 8) | bytes[offset + 4]!;
    const end = offset + 5 + length;
    if (end > bytes.length) break;
    const header = bytes.subarray(offset, offset + 5);
    let type = bytes[offset]!;
    let fragment: Uint8Array | null = bytes.subarray(offset + 5, end);
    offset = end;
    if (done && type !== RECORD.alert) break;
    if (type === RECORD.applicationData) {
      decrypter ??= messages.suite !== undefined && serverHandshakeSecret ? RecordDecrypter.create(messages.suite, serverHandshakeSecret) : undefined;
      const inner = decrypter?.open(header, fragment) ?? null;
      if (!inner) break;
      ({ type, fragment } = inner);
    }
    if (type === RECORD.alert && fragment.length >= 2) {
      if (fragment[0] === 2) flight.alert = `${ALERTS[fragment[1]!] ?? 'alert'} (${fragment[1]})`;
      break;
    }
    if (type !== RECORD.handshake) continue;
    for (const message of messages.push(fragment)) {
      if (message.type === HANDSHAKE.certificate) flight.certificates = certificateList(message.body, messages.tls13);
      else if (message.type === HANDSHAKE.certificateRequest) flight.certificateRequested = true;
      else if (message.type === HANDSHAKE.serverHelloDone || message.type === HANDSHAKE.finished) done = true;
    }
  }
  return flight;
}

/** A record header: a known content type and a major version of 3 (SSL 3.0 to TLS 1.3). */
function isTlsRecord(bytes: Uint8Array, offset: number): boolean {
  const type = bytes[offset];
  return offset + 5 <= bytes.length && type !== undefined && type >= RECORD.changeCipherSpec && type <= RECORD.heartbeat && bytes[offset + 1] === 3;
}

interface HandshakeMessage {
  type: number;
  body: Uint8Array;
}

/** Handshake messages from record fragments: a message may span records, and a record hold several. */
class HandshakeStream {
  private pending: Uint8Array = new Uint8Array(0);
  /** The TLS 1.3 cipher suite the ServerHello chose; undefined before it, and for TLS 1.2 and older. */
  suite: number | undefined;
  tls13 = false;

  *push(fragment: Uint8Array): Iterable<HandshakeMessage> {
    this.pending = this.pending.length === 0 ? fragment : Buffer.concat([this.pending, fragment]);
    while (this.pending.length >= 4) {
      const length = (this.pending[1]! << 16) | (this.pending[2]! << 8) | this.pending[3]!;
      if (this.pending.length < 4 + length) return;
      const message = { type: this.pending[0]!, body: this.pending.subarray(4, 4 + length) };
      this.pending = this.pending.subarray(4 + length);
      if (message.type === HANDSHAKE.serverHello) this.serverHello(message.body);
      yield message;
    }
  }

  /** The negotiated version and suite (RFC 8446 §4.1.3): TLS 1.3 says so in supported_versions. */
  private serverHello(body: Uint8Array): void {
    const reader = new Reader(body);
    reader.skip(2);
    const random = reader.bytes(32);
    reader.vector(1);
    const suite = reader.uint(2);
    reader.skip(1);
    if (random && Buffer.from(random).equals(HELLO_RETRY_RANDOM)) return;
    const extensions = reader.ok && reader.remaining > 0 ? new Reader(reader.vector(2) ?? new Uint8Array(0)) : null;
    while (extensions?.ok && extensions.remaining >= 4) {
      const type = extensions.uint(2);
      const data = extensions.vector(2);
      if (type === EXTENSION_SUPPORTED_VERSIONS && data?.length === 2 && ((data[0]! << 8) | data[1]!) === TLS13) {
        this.tls13 = true;
        this.suite = suite ?? undefined;
      }
    }
  }
}

/** The certificates of a Certificate message: TLS 1.3 has a request context and extensions per entry (RFC 8446 §4.4.2). */
function certificateList(body: Uint8Array, tls13: boolean): Uint8Array[] | null {
  const message = new Reader(body);
  if (tls13) message.vector(1);
  const list = new Reader(message.vector(3) ?? new Uint8Array(0));
  const certificates: Uint8Array[] = [];
  while (message.ok && list.ok && list.remaining > 0) {
    const der = list.vector(3);
    if (tls13) list.vector(2);
    if (der && list.ok) certificates.push(der);
  }
  return message.ok && list.ok ? certificates : null;
}

/** A bounds-checked reader of TLS's length-prefixed fields; `ok` turns false at the first overrun. */
class Reader {
  private offset = 0;
  ok = true;

  constructor(private readonly data: Uint8Array) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  bytes(n: number): Uint8Array | null {
    if (!this.ok || this.remaining < n) {
      this.ok = false;
      return null;
    }
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  skip(n: number): void {
    this.bytes(n);
  }

  uint(n: 1 | 2 | 3): number | null {
    const b = this.bytes(n);
    return b && b.reduce((value, byte) => value * 256 + byte, 0);
  }

  /** A vector with a length prefix of `n` bytes. */
  vector(n: 1 | 2 | 3): Uint8Array | null {
    const length = this.uint(n);
    return length === null ? null : this.bytes(length);
  }
}

/** Opens the server's TLS 1.3 handshake records (RFC 8446 §5.2-5.3, §7.3). */
class RecordDecrypter {
  private sequence = 0n;

  private constructor(
    private readonly suite: (typeof TLS13_SUITES)[number],
    private readonly key: Buffer,
    private readonly iv: Buffer,
  ) {}

  static create(suiteId: number, secret: Uint8Array): RecordDecrypter | undefined {
    const suite = TLS13_SUITES[suiteId];
    if (!suite) return undefined;
    return new RecordDecrypter(suite, expandLabel(suite.hash, secret, 'key', suite.keyLength), expandLabel(suite.hash, secret, 'iv', 12));
  }

  /** The inner content type and plaintext of one record, or null when it does not authenticate. */
  open(header: Uint8Array, record: Uint8Array): { type: number; fragment: Uint8Array } | null {
    if (record.length < 17) return null;
    const nonce = Buffer.from(this.iv);
    let sequence = this.sequence++;
    for (let i = 11; i >= 4; i--, sequence >>= 8n) nonce[i]! ^= Number(sequence & 0xffn);
    try {
      const decipher = this.suite.cipher === 'chacha20-poly1305' ? createDecipheriv(this.suite.cipher, this.key, nonce, { authTagLength: 16 }) : createDecipheriv(this.suite.cipher, this.key, nonce);
      decipher.setAAD(header, { plaintextLength: record.length - 16 });
      decipher.setAuthTag(record.subarray(record.length - 16));
      const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
      // TLSInnerPlaintext: content, the real content type, then zero padding.
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--;
      if (end === 0) return null;
      return { type: plain[end - 1]!, fragment: plain.subarray(0, end - 1) };
    } catch {
      return null;
    }
  }
}

/** HKDF-Expand-Label (RFC 8446 §7.1) for outputs no longer than one hash block, as keys and IVs are. */
function expandLabel(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, fullLabel.length]), fullLabel, Buffer.from([0])]);
  return createHmac(hash, secret).update(info).update(Buffer.from([1])).digest().subarray(0, length);
}
