// Bundles an app's src/main.ts (the app is the working directory: `node ../../scripts/bundle-app.mjs`
// from its package.json build script) into one file, dist/main.js, replacing the file tsc emitted. Measured (issue
// 6, benchmark 5): loading ~500 separate modules (mqtt.js and its CommonJS dependencies, zod, RxJS)
// cost about half of the start-up CPU time; one minified file
// also keeps comments with non-ASCII characters out of the source, which would make V8 hold the
// whole source as a two-byte string. tsc still emits the rest of dist/ (index.js and the .d.ts).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
// Left by earlier builds that split the bundle.
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Workspace libraries from their TypeScript sources, as vitest does: no stale dist/ can slip in.
  conditions: ['@ot-mqtt/source'],
  // One file, so that modules run in source order: @ot-mqtt/app-kit/startup-heap (main.ts's first import) must
  // run before zod and the rest are loaded, and a shared chunk would be evaluated before it.
  splitting: false,
  minify: true,
  // keepNames would redefine `name` on every function: ~4 MB more RSS in the agent (measured).
  // For stack traces with the original names and lines: node --enable-source-maps dist/main.js.
  keepNames: false,
  sourcemap: 'linked',
  legalComments: 'none',
  // Optional native add-ons of ws, loaded in a try/catch when installed.
  external: ['bufferutil', 'utf-8-validate'],
  // mqtt.js and its dependencies are CommonJS and `require()` Node's built-ins.
  banner: {
    js: "import { createRequire as __otMqttCreateRequire } from 'node:module';\nconst require = __otMqttCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
