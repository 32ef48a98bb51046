import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Workspace root: this file is `tools/bench/{src,dist}/harness/workspace-paths.{ts,js}`. */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Built entry points the benches spawn (run `npx nx run-many -t build` first). */
export const AGENT_MAIN = join(WORKSPACE_ROOT, 'apps', 'agent', 'dist', 'main.js');
/** Built viewer entry point. */
export const VIEWER_MAIN = join(WORKSPACE_ROOT, 'apps', 'viewer', 'dist', 'main.js');
/** Plain-JS helper scripts of the benches (baselines), runnable without a build. */
export const SCRIPTS_DIR = join(WORKSPACE_ROOT, 'tools', 'bench', 'scripts');

/**
 * Why a built app cannot be benchmarked yet (not built, or still the placeholder), or `undefined`
 * when it is there.
 */
export function missingApp(path: string): string | undefined {
  if (!existsSync(path)) return `${path} is not built (npx nx run-many -t build)`;
  const text = readFileSync(path, 'utf8');
  if (text.length < 400 && text.includes('not implemented yet'))
    return `${path} is still a placeholder`;
  return undefined;
}
