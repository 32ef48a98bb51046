/**
 * Rate-limits repeated log lines: the first of each kind per summary period is logged, the rest
 * counted. During an outage with a full outbox every scan would otherwise log seven lines, and a
 * per-filler fleet of thousands would log every connection's every state change.
 */
export interface FirstOfKind {
  /** True the first time `kind` is seen since the last {@link FirstOfKind.reset}. */
  first(kind: string): boolean;
  /** A new period: every kind may be logged once more. */
  reset(): void;
}

/** A fresh {@link FirstOfKind}. */
export function createFirstOfKind(): FirstOfKind {
  const seen = new Set<string>();
  return {
    first(kind) {
      if (seen.has(kind)) return false;
      seen.add(kind);
      return true;
    },
    reset: () => seen.clear(),
  };
}
