import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// "Usable in the browser": bundle the public entry point the way a web app's bundler would
// (platform browser → the `browser` export conditions) and look at what got pulled in. A Node
// built-in anywhere on the path makes esbuild fail to resolve it, so the build itself is the check.
describe('browser entry point', () => {
  it('bundles for the browser with no Node built-in on the import graph (mqtt.js resolves to its browser build)', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.startsWith('node:'))).toEqual([]);
    expect(inputs.filter((path) => /node_modules\/mqtt\/build\//.test(path))).toEqual([]);
    expect(inputs.some((path) => /node_modules\/mqtt\/dist\/mqtt\.esm\.js$/.test(path))).toBe(true);
    const code = result.outputFiles?.[0]?.text ?? '';
    expect(code).not.toMatch(/\bfrom\s*["']node:|\brequire\(\s*["'](?:node:)?(?:net|tls|fs)["']\)/);
  });
});
