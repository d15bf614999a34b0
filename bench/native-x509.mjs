#!/usr/bin/env node
// The throughput baseline: Node's own X509Certificate (OpenSSL) reading every certificate of a PEM
// bundle, touching subject, issuer, SHA-1 fingerprint and public key so that each is really decoded.
//
//   node bench/native-x509.mjs BUNDLE.pem     prints the count of certificates read
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'latin1');
const blocks = text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
let touched = 0;
for (const block of blocks) {
  const cert = new X509Certificate(block);
  touched += cert.subject.length + cert.issuer.length + cert.fingerprint.length + cert.publicKey.asymmetricKeyType.length;
}
// Printing the sum keeps the reads from being optimised away.
process.stdout.write(`${blocks.length} certificates (${touched})\n`);
