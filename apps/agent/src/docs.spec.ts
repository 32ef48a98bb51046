import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatEnvTable } from './help.js';

// Prettier pads Markdown tables; compare cell contents, not spacing.
const rows = (markdown: string): string[] =>
  markdown
    .split('\n')
    .filter((line) => line.trimStart().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/-{3,}/g, '---'),
    );

const doc = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('agent documentation', () => {
  it.each(['../README.md', '../../../docs/agent.md'])(
    '%s holds the configuration table of every variable the agent validates',
    (path) => {
      const have = rows(doc(path));
      for (const row of rows(formatEnvTable())) expect(have).toContain(row);
    },
  );
});
