import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CITATIONS } from '../../src/rules/citations.js';

// ../shared/reference/lync-sfb-certificates.md names Microsoft's pages by path (`L13/<page>.md` for Lync
// Server 2013's, `SfB/<path>.md` for Skype for Business Server's) or by TechNet id (Gg398995); every rule
// cites the page it enforces.
const REFERENCE = readFileSync(new URL('../../../shared/reference/lync-sfb-certificates.md', import.meta.url), 'utf8');
/** Cited pages the reference does not list: the single-Director certificate summary. */
const BEYOND_REFERENCE = new Set(['directorSummary']);

/** How the reference names a page, or undefined for a page outside Lync and Skype for Business (an RFC, a KB article). */
function referenceName(url: URL): string | undefined {
  const lync2013 = /\/lync-server-2013\/lync-server-2013-([a-z0-9-]+)$/.exec(url.pathname);
  if (lync2013) return `L13/${lync2013[1]}.md`;
  const skype = /^\/en-us\/skypeforbusiness\/(.+)$/.exec(url.pathname);
  if (skype) return `SfB/${skype[1]}.md`;
  return /\/library\/(\w+)\(v=OCS\.15\)$/.exec(url.pathname)?.[1];
}

describe('citations', () => {
  it('each have a title and an absolute https URL', () => {
    for (const [key, citation] of Object.entries(CITATIONS)) {
      expect(citation.title.trim(), key).not.toBe('');
      expect(new URL(citation.url).protocol, key).toBe('https:');
    }
  });
  it('name pages of Microsoft\'s requirements that the reference lists', () => {
    const named = Object.entries(CITATIONS).flatMap(([key, c]) => {
      const name = referenceName(new URL(c.url));
      return name && !BEYOND_REFERENCE.has(key) ? [[key, name] as const] : [];
    });
    expect(named.length).toBeGreaterThanOrEqual(11);
    for (const [key, name] of named) expect(REFERENCE, key).toContain(name);
  });
});
