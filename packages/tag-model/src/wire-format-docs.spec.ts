import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { spliceReadme } from '../scripts/readme.js';
import { renderExamples, renderWireFormat } from '../scripts/wire-format.js';

async function formatted(path: URL, text: string): Promise<string> {
  const filepath = path.pathname;
  return format(text, { ...((await resolveConfig(filepath)) ?? {}), filepath });
}

const STALE = 'is stale: run `npm run generate -w @ot-mqtt/tag-model` and commit it';

describe('wire-format documentation', () => {
  it('docs/wire-format.md shows the real output of the code', async () => {
    const path = new URL('../../../docs/wire-format.md', import.meta.url);
    expect(readFileSync(path, 'utf8'), `docs/wire-format.md ${STALE}`).toBe(
      await formatted(path, renderWireFormat()),
    );
  });

  it('the README examples are the real output of the code', async () => {
    const path = new URL('../README.md', import.meta.url);
    const readme = readFileSync(path, 'utf8');
    expect(readme, `README.md ${STALE}`).toBe(
      await formatted(path, spliceReadme(readme, renderExamples('####'))),
    );
    expect(readme).toContain('"FillLevel": 63.4');
  });
});
