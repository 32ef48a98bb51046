import { documentedDefault, type EnvSpec, type EnvVar } from './env-var.js';

/** Options of {@link formatEnvHelp}. */
export interface EnvHelpOptions {
  /** Lines before the variables: what the app does, usage, how it is configured. */
  readonly intro: readonly string[];
  /** Command-line flags and what they do, listed before the variables (e.g. `{ '--help': 'Show this help' }`). */
  readonly flags?: Readonly<Record<string, string>>;
  /** Lines after the variables (exit codes, where to read more). */
  readonly outro?: readonly string[];
}

/**
 * The `--help` text: the intro, the flags, then every variable grouped, each with its meaning,
 * default and allowed values. Built from the same table `parseEnv` validates with, so it cannot
 * drift from what the app accepts. Ends with a newline.
 *
 * @example
 * ```ts
 * import { formatEnvHelp, MQTT_ENV } from '@ot-mqtt/app-kit';
 *
 * process.stdout.write(formatEnvHelp(MQTT_ENV, { intro: ['my-bridge — forwards scans'] }));
 * ```
 */
export function formatEnvHelp(spec: EnvSpec, options: EnvHelpOptions): string {
  const vars = spec as readonly EnvVar[];
  const lines = [...options.intro];
  const flags = Object.entries(options.flags ?? {});
  if (flags.length > 0) {
    const width = Math.max(...flags.map(([flag]) => flag.length));
    lines.push('', 'Flags:', ...flags.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`));
  }
  for (const group of new Set(vars.map((v) => v.group))) {
    lines.push('', `${group}:`);
    for (const v of vars) {
      if (v.group !== group) continue;
      lines.push(`  ${v.name}`);
      lines.push(`      ${v.description}`);
      lines.push(`      default: ${documentedDefault(v)}`);
      lines.push(`      allowed: ${v.allowed}`);
    }
  }
  if (options.outro !== undefined && options.outro.length > 0) lines.push('', ...options.outro);
  return lines.join('\n') + '\n';
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');
const code = (text: string): string => {
  // `1883 (8883 with MQTT_TLS=true)` → `` `1883` (8883 with MQTT_TLS=true) ``; `(none)` stays prose.
  if (text.startsWith('(')) return text;
  const at = text.indexOf(' (');
  return at < 0 ? `\`${text}\`` : `\`${text.slice(0, at)}\`${text.slice(at)}`;
};

/**
 * The configuration table for a README or `docs/*.md`, in Markdown: variable, default, allowed
 * values, meaning. An app's test checks its docs contain exactly these rows.
 *
 * @example
 * ```ts
 * import { formatEnvTable, LOG_LEVEL } from '@ot-mqtt/app-kit';
 *
 * console.log(formatEnvTable([LOG_LEVEL]));
 * // | Variable | Default | Allowed values | Meaning |
 * // | --- | --- | --- | --- |
 * // | `LOG_LEVEL` | `info` | error, warn, info or debug | Least severe level logged. |
 * ```
 */
export function formatEnvTable(spec: EnvSpec): string {
  const rows = (spec as readonly EnvVar[]).map(
    (v) =>
      `| \`${v.name}\` | ${cell(code(documentedDefault(v)))} | ${cell(v.allowed)} | ${cell(v.description)} |`,
  );
  return [
    '| Variable | Default | Allowed values | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * Compares a Markdown document's table rows with {@link formatEnvTable}'s, ignoring the padding
 * Prettier adds: returns the rows the document lacks (empty when it is up to date).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { missingEnvTableRows, MQTT_ENV } from '@ot-mqtt/app-kit';
 *
 * const missing = missingEnvTableRows(readFileSync('docs/agent.md', 'utf8'), MQTT_ENV);
 * if (missing.length > 0) throw new Error(`docs/agent.md lacks:\n${missing.join('\n')}`);
 * ```
 */
export function missingEnvTableRows(markdown: string, spec: EnvSpec): string[] {
  const rows = (text: string): string[] =>
    text
      .split('\n')
      .filter((line) => line.trimStart().startsWith('|'))
      .map((line) =>
        line
          .trim()
          .replace(/\s*\|\s*/g, '|')
          .replace(/-{3,}/g, '---'),
      );
  const have = new Set(rows(markdown));
  return rows(formatEnvTable(spec)).filter((row) => !have.has(row));
}
