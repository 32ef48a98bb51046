import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles } from './import-cycles.js';
import { REPO_ROOT } from './libraries.js';

/** The `src` folder of every project of the workspace (the npm workspaces' globs). */
function projectSources(): string[] {
  return ['packages', 'apps', 'infra', 'tools'].flatMap((group) =>
    readdirSync(join(REPO_ROOT, group))
      .map((name) => join(REPO_ROOT, group, name, 'src'))
      .filter((dir) => existsSync(dir)),
  );
}

describe('import cycles', () => {
  it('no project has files that import each other at run time (directly or around a loop)', () => {
    expect(importCycles(REPO_ROOT, projectSources())).toEqual([]);
  });

  it('finds a cycle when there is one (this check can fail)', () => {
    const fixture = join(REPO_ROOT, 'tools', 'packaging', 'fixtures', 'import-cycle');
    expect(importCycles(fixture, [fixture])).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
