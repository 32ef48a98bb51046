/** Char code of `$` (topics such as `$SYS/…` are not matched by a leading wildcard). */
export const DOLLAR = 0x24;

/**
 * Matches `topic` against a filter already split into levels, without splitting the topic (no
 * allocation: this runs for every received message and every subscription).
 */
export function matchLevels(levels: readonly string[], topic: string): boolean {
  const end = topic.length;
  let pos = 0; // start of the topic level being compared; end + 1 once every level is used up
  for (const level of levels) {
    if (level === '#') return true; // also matches the parent level ('a/#' matches 'a')
    if (pos > end) return false;
    let next = topic.indexOf('/', pos);
    if (next < 0) next = end;
    if (level !== '+' && (next - pos !== level.length || !topic.startsWith(level, pos)))
      return false;
    pos = next + 1;
  }
  return pos === end + 1;
}

/** A subscription filter prepared once for matching many topics. */
export interface CompiledFilter {
  /** Levels of the filter's matching part (`$share/<group>/` removed). */
  readonly levels: readonly string[];
  /** The matching part has no wildcard: a topic matches only if equal to it. */
  readonly exact: string | undefined;
  /** The matching part starts with a wildcard, so topics beginning with `$` do not match. */
  readonly skipsDollar: boolean;
}

/** Prepares a filter's matching part (see `matchingPart`) for {@link matchesCompiled}. */
export function compileFilter(f: string): CompiledFilter {
  const wild = f.includes('+') || f.includes('#');
  return {
    levels: f.split('/'),
    exact: wild ? undefined : f,
    skipsDollar: f.startsWith('+') || f.startsWith('#'),
  };
}

/** `topicMatches` for a filter prepared by {@link compileFilter}. */
export function matchesCompiled(compiled: CompiledFilter, topic: string): boolean {
  if (compiled.exact !== undefined) return compiled.exact === topic;
  if (compiled.skipsDollar && topic.charCodeAt(0) === DOLLAR) return false;
  return matchLevels(compiled.levels, topic);
}
