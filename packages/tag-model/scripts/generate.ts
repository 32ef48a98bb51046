// Writes the generated artifacts of the package: schemas/*.schema.json, docs/wire-format.md and the
// examples section of README.md. Run `npm run generate -w @ot-mqtt/tag-model` after changing the
// model; a test fails while any of them is stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { JSON_SCHEMA_NAMES, toJsonSchema } from '../src/index.js';
import { spliceReadme } from './readme.js';
import { renderExamples, renderWireFormat } from './wire-format.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));

// Formatted with the repository's Prettier config, so `prettier --check .` agrees with the generator.
async function write(path: string, text: string): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(text, { ...options, filepath: path }));
  console.log(`wrote ${path}`);
}

mkdirSync(`${packageDir}schemas`, { recursive: true });
for (const name of JSON_SCHEMA_NAMES) {
  await write(`${packageDir}schemas/${name}.schema.json`, JSON.stringify(toJsonSchema(name)));
}
mkdirSync(`${repoDir}docs`, { recursive: true });
await write(`${repoDir}docs/wire-format.md`, renderWireFormat());
const readmePath = `${packageDir}README.md`;
await write(readmePath, spliceReadme(readFileSync(readmePath, 'utf8'), renderExamples('####')));
