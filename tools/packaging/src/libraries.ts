import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the workspace (the directory with the root package.json). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A publishable library of the workspace. */
export interface Library {
  /** npm name, e.g. `@ot-mqtt/tag-model`. */
  readonly name: string;
  /** Version in its package.json. */
  readonly version: string;
  /** Absolute directory. */
  readonly dir: string;
  /** Relative directory, e.g. `packages/tag-model`. */
  readonly path: string;
  /** Names of its peer dependencies (the consumer installs them). */
  readonly peerDependencies: readonly string[];
  /** Why it cannot be packed yet (no build output), or undefined when it can. */
  readonly missingBuild?: string;
}

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  peerDependencies?: Record<string, string>;
}

/**
 * Every non-private package under `packages/`: the libraries users install. Discovered rather than
 * listed, so a new library is checked the day it is added.
 *
 * @example
 * ```ts
 * for (const lib of findLibraries()) console.log(lib.name, lib.missingBuild ?? 'built');
 * ```
 */
export function findLibraries(): Library[] {
  const packagesDir = join(REPO_ROOT, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')),
    )
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      return { pkg, dir, path: `packages/${entry.name}` };
    })
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ pkg, dir, path }) => {
      const main = join(dir, pkg.main ?? 'dist/index.js');
      return {
        name: pkg.name,
        version: pkg.version,
        dir,
        path,
        peerDependencies: Object.keys(pkg.peerDependencies ?? {}),
        ...(existsSync(main)
          ? {}
          : {
              missingBuild: `${path} has no build output (${main} is missing): run \`npx nx run-many -t build\` (or \`npm test\`, which builds first) before the packaging tests`,
            }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
