import { describe, expect, it } from 'vitest';
import { PathValidator } from '../../src/pki/validate.js';
import { load, manifest } from './chains.js';

const validator = new PathValidator();

describe('limbo-mirrored and issue 8 chains (fixtures/chains/cases.json)', () => {
  it.each(manifest.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const leaf = load(c.dir, 'leaf.pem')[0]!;
    const result = validator.validate(leaf, {
      trusted: load(c.dir, 'trusted.pem'),
      untrusted: load(c.dir, 'untrusted.pem'),
      time: new Date(c.time),
      profile: c.profile,
      purpose: c.purpose,
      ...(c.hostname !== undefined && { hostname: c.hostname }),
      ...(c.maxDepth !== undefined && { maxDepth: c.maxDepth }),
    });
    const outcome = result.valid ? { valid: true } : { valid: false, code: result.failure!.code };
    expect(outcome, result.failure?.message).toEqual(c.expected);
    if (result.failure) {
      // Every refusal explains itself: a sentence, and after a certificate's name ("CN=x: …") more than a word.
      const { message, certificate } = result.failure;
      expect(message).toMatch(/^\S.{20,}$/s);
      expect(message).not.toMatch(/undefined|\[object|: $/);
      const afterName = certificate && message.startsWith(`${certificate.facts.subject}: `) ? message.slice(certificate.facts.subject.length + 2) : message;
      expect(afterName.split(' ').length, message).toBeGreaterThan(1);
      expect(result.path[0]).toBe(leaf);
    }
  });
});
