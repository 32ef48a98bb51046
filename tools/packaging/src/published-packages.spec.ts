import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, findLibraries } from './libraries.js';
import { describeFailure, run, type RunResult } from './run.js';

// The libraries exactly as a user in another PLC project gets them: packed by npm, linted as
// published, installed from the tarballs into a project outside this workspace, imported by Node.

const libraries = findLibraries();
const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'ot-mqtt-packaging-'));
const packDir = join(work, 'tarballs');
const consumerDir = join(work, 'consumer');

interface PackInfo {
  filename: string;
  files: Array<{ path: string }>;
}
const packed = new Map<string, PackInfo & { tarball: string }>();

// The checks are whole programs (attw alone loads a TypeScript compiler): start each once, all
// together after packing, and let the tests await their own result; the run takes the time of the
// slowest check rather than of their sum.
const started = new Map<string, Promise<RunResult>>();
function once(key: string, start: () => Promise<RunResult>): Promise<RunResult> {
  let promise = started.get(key);
  if (!promise) {
    promise = start();
    started.set(key, promise);
  }
  return promise;
}
const publint = (name: string) =>
  once(`publint ${name}`, () =>
    run(bin('publint'), ['run', '--strict', tarballOf(name)], { cwd: work }),
  );
const attw = (name: string) =>
  once(`attw ${name}`, () =>
    run(
      bin('attw'),
      ['--profile', 'esm-only', '--no-emoji', '--no-color', '--format', 'ascii', tarballOf(name)],
      { cwd: work },
    ),
  );

// Installs every tarball, with what the libraries expect their users to bring (their peer
// dependencies: zod, rxjs, mqtt), into a project that knows nothing of this workspace.
const installed = () =>
  once('npm install', async () => {
    mkdirSync(consumerDir, { recursive: true });
    writeFileSync(
      join(consumerDir, 'package.json'),
      JSON.stringify({ name: 'plc-project', version: '1.0.0', private: true, type: 'module' }),
    );
    const peers = new Set(['zod', 'rxjs', 'mqtt', ...libraries.flatMap((l) => l.peerDependencies)]);
    const install = await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...libraries.map((lib) => tarballOf(lib.name)),
        ...[...peers].filter((p) => !p.startsWith('@ot-mqtt/')),
      ],
      // better-sqlite3 compiles from source here (no prebuilt binaries reachable): ~1 min on a quiet
      // machine, over 4 min in a CI run on a slow host with spec files side by side (killed at
      // 240 s); the whole file took 3.7 min alone on that host.
      { cwd: consumerDir, timeoutMs: 600_000 },
    );
    return install;
  });

function tarballOf(name: string): string {
  const info = packed.get(name);
  if (!info) throw new Error(`${name} was not packed`);
  return info.tarball;
}

beforeAll(async () => {
  const unbuilt = libraries.flatMap((lib) => (lib.missingBuild ? [lib.missingBuild] : []));
  if (unbuilt.length > 0) throw new Error(unbuilt.join('\n'));
  mkdirSync(packDir, { recursive: true });
  for (const lib of libraries) {
    const result = await run('npm', ['pack', '--json', '--pack-destination', packDir], {
      cwd: lib.dir,
    });
    if (result.code !== 0) throw new Error(describeFailure(result));
    const [info] = JSON.parse(result.stdout) as [PackInfo];
    packed.set(lib.name, { ...info, tarball: join(packDir, info.filename) });
  }
  for (const lib of libraries) {
    void publint(lib.name);
    void attw(lib.name);
  }
  void installed();
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('libraries as published', () => {
  it('finds the libraries to check under packages/', () => {
    expect(libraries.map((lib) => lib.name)).toContain('@ot-mqtt/tag-model');
  });

  describe.each(libraries.map((lib) => [lib.name, lib] as const))('%s', (name) => {
    it('ships its build, declarations, README and package.json, and no tests', () => {
      const files = packed.get(name)?.files.map((f) => f.path) ?? [];
      for (const required of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']) {
        expect(files, `${required} is missing from the ${name} tarball`).toContain(required);
      }
      const leaked = files.filter((f) => /\.(spec|bench|test-helper)\.|tsbuildinfo$/u.test(f));
      expect(
        leaked,
        `test-only files in the ${name} tarball: add "!**/*.test-helper.*" etc. to "files"`,
      ).toEqual([]);
    });

    it('passes publint --strict on the tarball', async () => {
      const result = await publint(name);
      expect(result.code, describeFailure(result)).toBe(0);
    });

    it('has types that resolve for ESM consumers (attw, esm-only profile)', async () => {
      const result = await attw(name);
      expect(result.code, describeFailure(result)).toBe(0);
    });
  });

  describe('installed from the tarballs into a fresh project outside the workspace', () => {
    beforeAll(async () => {
      const install = await installed();
      if (install.code !== 0) throw new Error(describeFailure(install));
    }, 660_000);

    it.each(libraries.map((lib) => lib.name))('%s imports from plain Node', async (name) => {
      const script = `
        const lib = await import(${JSON.stringify(name)});
        const names = Object.keys(lib);
        if (names.length === 0) throw new Error('no exports');
        const undefinedExports = names.filter((n) => lib[n] === undefined);
        if (undefinedExports.length) throw new Error('undefined exports: ' + undefinedExports);
        console.log(names.length);`;
      const result = await run('node', ['--input-type=module', '-e', script], { cwd: consumerDir });
      expect(result.code, describeFailure(result)).toBe(0);
      expect(Number(result.stdout.trim())).toBeGreaterThan(0);
    });

    it('@ot-mqtt/tag-model encodes a scan and parses it back, and ships its JSON Schema', async () => {
      const script = `
        import { TAGS, TAG_GROUP_NAMES, encodeScan, parsePayload } from '@ot-mqtt/tag-model';
        import dataSchema from '@ot-mqtt/tag-model/schemas/data.schema.json' with { type: 'json' };
        const tags = Object.fromEntries(TAG_GROUP_NAMES.map((g) => [g, Object.fromEntries(
          Object.entries(TAGS[g]).map(([n, m]) => [n, m.dataType === 'BOOL' ? false : m.range.min]))]));
        const messages = encodeScan(tags, { machineId: 'filler-01', sequence: 1, timestamp: new Date() });
        const parsed = messages.map((m) => parsePayload(m.topic, Buffer.from(m.payload)));
        if (!parsed.every((r) => r.ok)) throw new Error(JSON.stringify(parsed));
        const bad = parsePayload('plc/bottlefiller/analog', '{"schemaVersion":1}');
        console.log(JSON.stringify({ topics: messages.map((m) => m.topic), bad: bad.error.path, schema: dataSchema.type }));`;
      const result = await run('node', ['--input-type=module', '-e', script], { cwd: consumerDir });
      expect(result.code, describeFailure(result)).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        topics: expect.arrayContaining(['plc/bottlefiller/data', 'plc/bottlefiller/alarms']),
        bad: 'timestamp',
        schema: 'object',
      });
    });

    it('type-checks a strict TypeScript consumer against the installed declarations', async () => {
      // attw already proves every library's declarations resolve; this proves they mean something
      // to a strict consumer (narrowing on kind, tag types), which only tag-model's API promises.
      writeFileSync(
        join(consumerDir, 'consumer.ts'),
        `import { parsePayload, type BottleFillerTags } from '@ot-mqtt/tag-model';
const result = parsePayload('plc/bottlefiller/analog', new Uint8Array());
if (result.ok && result.kind === 'analog') {
  const level: number = result.value.tags.FillLevel;
  void level;
}
export const present: BottleFillerTags['inputs']['BottlePresent'] = true;
`,
      );
      writeFileSync(
        join(consumerDir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          files: ['consumer.ts'],
        }),
      );
      const result = await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: consumerDir });
      expect(result.code, describeFailure(result)).toBe(0);
    });
  });
});
