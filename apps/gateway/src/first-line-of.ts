import { readFileSync } from 'node:fs';
import type { EnvName, EnvSpec, ParsedEnv } from '@ot-mqtt/app-kit';

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'a directory, not a file',
};

/**
 * The first line of the file a `*_FILE` variable names (Docker/Kubernetes secrets; the newline
 * `echo secret > file` leaves is not part of it), or `undefined` when the variable is unset or the
 * file unreadable — then recorded against the variable, like a bad value.
 */
export function firstLineOf<S extends EnvSpec>(
  parsed: Pick<ParsedEnv<S>, 'given' | 'fail'>,
  name: EnvName<S>,
): string | undefined {
  const path = (parsed.given as Readonly<Record<string, unknown>>)[name];
  if (typeof path !== 'string') return undefined;
  try {
    return (readFileSync(path, 'utf8').split(/\r?\n/u)[0] ?? '').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    parsed.fail(name, `cannot read the file (${code})${WHY[code] ? `: ${WHY[code]}` : ''}`);
    return undefined;
  }
}
