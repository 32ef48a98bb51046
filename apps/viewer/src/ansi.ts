/** ANSI styling functions; all identity functions when colour is off. */
export interface Palette {
  /** Whether styling is applied. */
  readonly enabled: boolean;
  /** Bold. */
  readonly bold: (s: string) => string;
  /** Dim (secondary information: times, QoS). */
  readonly dim: (s: string) => string;
  /** Red: errors, faults, active alarms. */
  readonly red: (s: string) => string;
  /** Green: running, online, OK. */
  readonly green: (s: string) => string;
  /** Yellow: warnings, gaps, stale. */
  readonly yellow: (s: string) => string;
  /** Blue: topics. */
  readonly blue: (s: string) => string;
  /** Magenta: booleans. */
  readonly magenta: (s: string) => string;
  /** Cyan: keys, machine ids. */
  readonly cyan: (s: string) => string;
}

const style =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string): string => s;

/**
 * Colours for a terminal, or none. Colour is on only for a TTY and when `NO_COLOR` is not set
 * (https://no-color.org), so piped output and log files stay clean.
 */
export function createPalette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      bold: plain,
      dim: plain,
      red: plain,
      green: plain,
      yellow: plain,
      blue: plain,
      magenta: plain,
      cyan: plain,
    };
  }
  return {
    enabled,
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    blue: style(34, 39),
    magenta: style(35, 39),
    cyan: style(36, 39),
  };
}
