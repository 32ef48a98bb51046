import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter, matchesCompiled } from './internal/compiled-filter.js';
import {
  assertValidFilter,
  assertValidTopic,
  matchingPart,
  MqttClientError,
  topicMatches,
} from './index.js';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof MqttClientError ? error.code : 'not an MqttClientError';
  }
};

describe('topic and filter validation', () => {
  it.each(['a/#/b', 'a+', 'a/b#', '#/a', '', '$share//a', '$share/g', '$share/g+/a', 'a\u0000b'])(
    'rejects the filter %j with INVALID_FILTER',
    (filter) => expect(codeOf(() => assertValidFilter(filter))).toBe('INVALID_FILTER'),
  );

  it.each(['#', '+', 'a/+/c', 'a/b/#', '/', '+/+', '$share/g/a/#', '$SYS/#'])(
    'accepts the filter %j',
    (filter) => expect(codeOf(() => assertValidFilter(filter))).toBeUndefined(),
  );

  it.each(['a/+/b', 'a/#', '#', '', 'x\u0000'])(
    'rejects publishing to %j with INVALID_TOPIC',
    (t) => expect(codeOf(() => assertValidTopic(t))).toBe('INVALID_TOPIC'),
  );

  it('names the offending topic and the rule in the message', () => {
    expect(() => assertValidTopic('plc/+/data')).toThrow(/"plc\/\+\/data".*wildcard/);
  });
});

describe('topic matching (MQTT §4.7)', () => {
  it.each([
    // + is exactly one level, an empty one included.
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/+', 'a/b/c', false],
    ['+', '', true],
    ['a//b', 'a//b', true],
    // # is the parent level and any number below it.
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
  ])('%j matches %j: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('matches a topic starting with $ only by a filter that does not start with a wildcard (§4.7.2)', () => {
    expect(topicMatches('#', '$SYS/x')).toBe(false);
    expect(topicMatches('+/x', '$SYS/x')).toBe(false);
    expect(topicMatches('$SYS/#', '$SYS/x')).toBe(true);
  });

  it('matches a shared subscription by the filter after its share name', () => {
    expect(topicMatches('$share/g/a/+', 'a/b')).toBe(true);
    expect(topicMatches('$share/g/a/+', 'g/a/b')).toBe(false);
  });

  const level = fc.stringMatching(/^[a-z0-9]{0,3}$/);
  const topic = fc.array(level, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));

  it('a topic always matches itself, # and the filter with any level replaced by +', () => {
    fc.assert(
      fc.property(topic, fc.nat(), (t, n) => {
        const levels = t.split('/');
        const i = n % levels.length;
        const plus = levels.map((l, j) => (j === i ? '+' : l)).join('/');
        const hash = [...levels.slice(0, i), '#'].join('/');
        return (
          topicMatches(t, t) &&
          topicMatches('#', t) &&
          topicMatches(plus, t) &&
          topicMatches(hash, t)
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a filter with a different number of levels and no # never matches', () => {
    fc.assert(
      fc.property(topic, (t) => !topicMatches(`${t.replace(/[^/]+/g, '+')}/+`, t)),
      { numRuns: 200 },
    );
  });
});

describe('compiled matching (the receive path)', () => {
  // The plain reading of §4.7, kept as the reference the allocation-free matcher is checked against.
  const reference = (filter: string, topic: string): boolean => {
    const f = matchingPart(filter);
    if (topic.startsWith('$') && (f.startsWith('+') || f.startsWith('#'))) return false;
    const fl = f.split('/');
    const tl = topic.split('/');
    for (let i = 0; i < fl.length; i++) {
      if (fl[i] === '#') return true;
      if (i >= tl.length || (fl[i] !== '+' && fl[i] !== tl[i])) return false;
    }
    return fl.length === tl.length;
  };
  const level = fc.constantFrom('', 'a', 'b', 'ab', '$x', 'a$');
  const topic = fc.array(level, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));
  const filter = fc
    .tuple(
      fc.array(fc.oneof(level, fc.constant('+')), { minLength: 0, maxLength: 5 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([levels, hash, shared]) => {
      const f = [...levels, ...(hash ? ['#'] : [])].join('/') || '#';
      return shared ? `$share/g/${f}` : f;
    });

  it('agrees with the reference for any filter and topic, via topicMatches and compileFilter', () => {
    fc.assert(
      fc.property(filter, topic, (f, t) => {
        const expected = reference(f, t);
        return (
          topicMatches(f, t) === expected &&
          matchesCompiled(compileFilter(matchingPart(f)), t) === expected
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
