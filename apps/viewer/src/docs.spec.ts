import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FLAGS, VARIABLES } from './config.js';

const DOC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/viewer.md');

describe('docs/viewer.md', () => {
  const text = readFileSync(DOC, 'utf8');

  it('has a table row for every variable the viewer reads', () => {
    for (const v of VARIABLES) expect(text).toMatch(new RegExp(`^\\| \`${v.name}\` +\\|`, 'm'));
  });

  it('names every flag', () => {
    for (const flag of Object.keys(FLAGS).filter((f) => f.startsWith('--')))
      expect(text).toContain(flag);
  });
});
