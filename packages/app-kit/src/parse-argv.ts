import { parseArgs } from 'node:util';

/** Outcome of {@link parseArgv}. */
export interface ParsedArgv<F extends string> {
  /** `--help` or `-h` was given: print the help and exit 0, whatever else is wrong. */
  readonly help: boolean;
  /** The app's own flags that were given, in order. */
  readonly flags: readonly F[];
  /** One sentence per argument that is not a known flag (exit code 2). */
  readonly errors: readonly string[];
}

/**
 * Reads the command line with `node:util`'s `parseArgs`: `--help`/`-h` and the app's own boolean
 * flags. Apps are configured by environment variables, so anything else (a positional, an unknown
 * option, a value given to a flag) is an error naming the argument as typed.
 *
 * @example
 * ```ts
 * import { parseArgv } from '@ot-mqtt/app-kit';
 *
 * const args = parseArgv(process.argv.slice(2), ['pretty', 'ndjson'] as const);
 * if (args.help) console.log('usage: …');
 * for (const flag of args.flags) console.log('mode', flag); // 'pretty' | 'ndjson'
 * ```
 */
export function parseArgv<const F extends string = never>(
  argv: readonly string[],
  flags: readonly F[] = [],
): ParsedArgv<F> {
  const options: Record<string, { type: 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const flag of flags) options[flag] = { type: 'boolean' };
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let help = false;
  const given: F[] = [];
  const unknown: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') unknown.push(token.value);
    else if (token.kind === 'option') {
      const raw = token.inlineValue ? `${token.rawName}=${token.value ?? ''}` : token.rawName;
      if (!(token.name in options) || token.inlineValue) unknown.push(raw);
      else if (token.name === 'help') help = true;
      else given.push(token.name as F);
    }
  }
  const allowed = ['--help', '-h', ...flags.map((f) => `--${f}`)].join(', ');
  return {
    help,
    flags: given,
    errors: unknown.map(
      (arg) =>
        `unknown argument ${JSON.stringify(arg)}: allowed are ${allowed}; everything else is configured by environment variables (see --help)`,
    ),
  };
}
