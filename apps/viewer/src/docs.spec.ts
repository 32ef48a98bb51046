import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envSpecProblems, missingEnvTableRows } from '@ot-mqtt/app-kit';
import { describe, expect, it } from 'vitest';
import { FLAGS, VARIABLES } from './config.js';

const DOC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/viewer.md');

describe('docs/viewer.md', () => {
  const text = readFileSync(DOC, 'utf8');

  it('has a table row for every variable the viewer reads', () => {
    for (const v of VARIABLES) expect(text).toMatch(new RegExp(`^\\| \`${v.name}\` +\\|`, 'm'));
  });

  it('holds exactly the table generated from what the viewer validates', () => {
    expect(missingEnvTableRows(text, VARIABLES)).toEqual([]);
  });

  it('documents every default as the value the viewer really uses', () => {
    expect(envSpecProblems(VARIABLES)).toEqual([]);
  });

  it('names every flag', () => {
    for (const flag of Object.keys(FLAGS).filter((f) => f.startsWith('--')))
      expect(text).toContain(flag);
  });
});
