import { describe, expect, it } from 'vitest';
import { decodeBase64, findPemBlocks } from '../../src/certs/pem.js';

describe('findPemBlocks', () => {
  it('finds every block among text, with the line of its BEGIN, whatever the line ends', () => {
    const text = [
      'Certificate:',
      '    Data: ...',
      '-----BEGIN CERTIFICATE-----',
      'TWFu',
      '-----END CERTIFICATE-----',
      'Bag Attributes',
      '-----BEGIN PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      '',
      'TWE=',
      '-----END PRIVATE KEY-----',
    ];
    for (const eol of ['\n', '\r\n']) {
      expect(findPemBlocks(text.join(eol))).toEqual([
        { label: 'CERTIFICATE', endLabel: 'CERTIFICATE', base64: 'TWFu', line: 3 },
        { label: 'PRIVATE KEY', endLabel: 'PRIVATE KEY', base64: 'TWE=', line: 7 },
      ]);
    }
  });

  it('reports an END label that differs, for the reader to refuse', () => {
    expect(findPemBlocks('-----BEGIN PKCS7-----\nTWFu\n-----END CERTIFICATE-----\n')).toMatchObject([
      { label: 'PKCS7', endLabel: 'CERTIFICATE' },
    ]);
  });

  it('finds nothing in a block without its END', () => {
    expect(findPemBlocks('-----BEGIN CERTIFICATE-----\nTWFu\n')).toEqual([]);
  });
});

describe('decodeBase64', () => {
  it.each([
    ['TWFu', 'Man'],
    ['TWE=', 'Ma'],
    ['TQ==', 'M'],
  ])('%s', (body, text) => {
    expect(Buffer.from(decodeBase64(body)!).toString()).toBe(text);
  });

  // Node's own decoder would skip these silently and hide the damage.
  it.each(['TWFu!', 'TW=u', 'TWFuT', 'TQ==='])('refuses %s', (body) => {
    expect(decodeBase64(body)).toBeNull();
  });
});
