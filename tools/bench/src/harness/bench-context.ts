/** How a bench is run: full or smoke, where its report goes, where it prints. */
export interface BenchContext {
  /** Tiny run that checks the harness end to end in seconds; its figures mean nothing. */
  readonly smoke: boolean;
  /** Directory for `<name>.json` (default `reports/bench` at the workspace root). */
  readonly reportDir?: string;
  /** Where tables and progress go (default `console.log`). */
  readonly log: (line: string) => void;
  /** The command line that produced the figures, quoted in the report. */
  readonly command: string;
}

/** Reads a positive number from the environment (for overriding durations and sizes), else `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not a positive number`);
  }
  return value;
}

/** Reads a comma-separated list of positive integers from the environment, else `fallback`. */
export function envList(name: string, fallback: readonly number[]): readonly number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(
      `${name}=${JSON.stringify(raw)} must be a comma-separated list of positive integers`,
    );
  }
  return values;
}
