import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// Import cycles between the files of a project, found with TypeScript's own parser (no extra
// tool): a cycle makes module evaluation order matter (a value read before its module ran is
// `undefined`), and two files that need each other are one room split in two. Only imports that
// stay in the emitted JavaScript count: `import type` / `export type` are erased, so a cycle of
// types alone is harmless. Cycles between projects are Nx's to find (its project graph).

const SOURCE = /\.(ts|tsx|mts)$/u;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier (`./x.js`, `../y`) names, if it is one of ours. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier.replace(/\.(m?js|jsx)$/u, ''));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}.mts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The files `file` imports at run time (relative imports only). */
export function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specifier = statement.moduleSpecifier;
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      specifier = statement.moduleSpecifier;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      const target = resolveRelative(file, specifier.text);
      if (target !== undefined) out.push(target);
    }
  }
  return out;
}

/**
 * Every import cycle among the source files under `dirs`, each as the files around it (relative
 * to `root`), starting from its alphabetically first file. One per strongly connected component
 * that has one, so a tangle is reported once however many loops it holds.
 */
export function importCycles(root: string, dirs: readonly string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => sourceFiles(d))) graph.set(file, runtimeImports(file));
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfImport = graph.get(v)?.includes(v) ?? false;
    if (component.length > 1 || selfImport) {
      cycles.push(component.map((f) => relative(root, f)).sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
