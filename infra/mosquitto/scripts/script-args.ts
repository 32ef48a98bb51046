import { parseArgs, type ParseArgsConfig } from 'node:util';

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * The command line of a script, parsed strictly: `--help`/`-h` prints `help` and exits 0; an
 * unknown or malformed option prints why and the help, and exits 2 (a usage error).
 */
export function scriptArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  script: string,
  help: string,
  options: O,
): ReturnType<typeof parseArgs<{ options: O & typeof HELP_OPTION }>>['values'] {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, ...HELP_OPTION } });
  } catch (error) {
    console.error(`${script}: ${(error as Error).message}\n\n${help}`);
    process.exit(2);
  }
  if ((parsed.values as { readonly help?: boolean }).help) {
    process.stdout.write(help);
    process.exit(0);
  }
  return parsed.values;
}
