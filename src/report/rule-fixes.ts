/**
 * The fix of a built-in rule, as its documentation page gives it: the code blocks of the page's "How
 * to fix" section (PowerShell, and the certreq INF files some of it uses), each with the sentence that
 * introduces it. The pages ship with the package
 * (docs/ is in package.json's files), so the report and the page can never disagree, and a rule's
 * metadata carries no copy of them.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../package-files.js';

export interface FixStep {
  /** The paragraph before the block, Markdown markup removed; empty when there is none. */
  caption: string;
  /** The block's language as the page marks it: `powershell`, `ini`, `sh`. */
  language: string;
  code: string;
}

const cache = new Map<string, FixStep[]>();

/** The steps of docs/rules/<id>.md's "How to fix" section; none for a plug-in rule or a page without one. */
export function ruleFix(ruleId: string): FixStep[] {
  // Built-in ids are plain kebab-case; a plug-in's carry a prefix (contoso/...) and have no page here.
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(ruleId)) return [];
  let steps = cache.get(ruleId);
  if (!steps) {
    let page: string;
    try {
      page = readFileSync(packageFile(`docs/rules/${ruleId}.md`), 'utf8');
    } catch {
      page = '';
    }
    steps = fixSteps(page);
    cache.set(ruleId, steps);
  }
  return steps;
}

/** The code blocks of a page's `## How to fix` section, each with the paragraph just before it. */
export function fixSteps(page: string): FixStep[] {
  const section = /^## How to fix[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(page.replace(/\r\n/g, '\n'))?.[1] ?? '';
  const steps: FixStep[] = [];
  const lines = section.split('\n');
  // The paragraph being read, and the last one finished (a blank line separates it from its block).
  let paragraph: string[] = [];
  let previous: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) {
      if (lines[i]!.trim() !== '') paragraph.push(lines[i]!.trim());
      else if (paragraph.length > 0) [previous, paragraph] = [paragraph, []];
      continue;
    }
    const caption = paragraph.length > 0 ? paragraph : previous;
    const indent = fence[1]!.length;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(Math.min(indent, lines[i]!.length - lines[i]!.trimStart().length)));
    steps.push({ caption: plainText(caption.join(' ')), language: fence[2] || 'text', code: body.join('\n') });
    paragraph = [];
    previous = [];
  }
  return steps;
}

/** Markdown inline markup as plain text: links to their text, no emphasis or code marks. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .trim();
}
