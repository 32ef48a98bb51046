import { describe, expect, it } from 'vitest';
import { envVar, envSpecProblems } from './env-var.js';
import { oneOfNumbers, seconds } from './env-schemas.js';
import { LOG_FORMAT, LOG_LEVEL } from './log-env.js';
import { MQTT_ENV, MQTT_PASSWORD } from './mqtt-env.js';
import { parseEnv } from './parse-env.js';

const INTERVAL = envVar({
  name: 'PUBLISH_INTERVAL',
  group: 'Simulator',
  description: 'Seconds between two scans.',
  allowed: 'seconds, greater than 0',
  schema: seconds(0, 86400, { minExclusive: true }),
  default: 2,
  defaultText: '2.0',
});
const SPEC = [INTERVAL, LOG_LEVEL, LOG_FORMAT, MQTT_PASSWORD] as const;

describe('parseEnv', () => {
  it('gives every variable its documented default when unset or empty', () => {
    const parsed = parseEnv(SPEC, { LOG_LEVEL: '' });
    expect(parsed.values).toEqual({
      PUBLISH_INTERVAL: 2,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'text',
      MQTT_PASSWORD: undefined,
    });
    expect(parsed.given).toEqual({});
    expect(parsed.errors).toEqual([]);
  });

  it('tells a variable set to its default from an unset one', () => {
    expect(parseEnv(SPEC, { LOG_LEVEL: 'INFO' }).given).toEqual({ LOG_LEVEL: 'info' });
  });

  it('reports every bad variable at once, naming it, its value and what is allowed', () => {
    const parsed = parseEnv(SPEC, { PUBLISH_INTERVAL: 'fast', LOG_LEVEL: 'loud' });
    expect(parsed.errors).toEqual([
      {
        variable: 'PUBLISH_INTERVAL',
        message:
          'Invalid PUBLISH_INTERVAL="fast": not a number of seconds. Allowed: seconds, greater than 0.',
      },
      {
        variable: 'LOG_LEVEL',
        message:
          'Invalid LOG_LEVEL="loud": not one of error, warn, info, debug. Allowed: error, warn, info or debug.',
      },
    ]);
    // An invalid value reads as the default, so cross-variable rules still run on something sane.
    expect(parsed.values.PUBLISH_INTERVAL).toBe(2);
  });

  it('never shows a secret, in its own errors or in a cross-variable rule', () => {
    const parsed = parseEnv(SPEC, { MQTT_PASSWORD: 'x'.repeat(70_000) });
    parsed.fail('MQTT_PASSWORD', 'is set without MQTT_USERNAME');
    const text = parsed.errors.map((e) => e.message).join('\n');
    expect(text).toContain('Invalid MQTT_PASSWORD=(hidden): longer than 65535 characters');
    expect(text).toContain('Invalid MQTT_PASSWORD=(hidden): is set without MQTT_USERNAME');
    expect(text).not.toContain('xxxx');
  });

  it('records cross-variable problems and warnings in the same words', () => {
    const parsed = parseEnv(SPEC, { LOG_FORMAT: 'json' });
    parsed.fail('LOG_FORMAT', 'json needs a log shipper');
    parsed.warn('LOG_LEVEL is ignored');
    expect(parsed.errors[0]?.message).toBe(
      'Invalid LOG_FORMAT="json": json needs a log shipper. Allowed: text or json.',
    );
    expect(parsed.warnings).toEqual(['LOG_LEVEL is ignored']);
  });
});

describe('envSpecProblems', () => {
  it('finds none in the shared variables', () => {
    expect(envSpecProblems([...MQTT_ENV, LOG_LEVEL, LOG_FORMAT, INTERVAL])).toEqual([]);
  });

  it('catches a documented default that is not the real one, and a name listed twice', () => {
    // The docs say 2.5 s, the schema's default is still 2.
    const drifted = envVar({ ...INTERVAL, defaultText: '2.5' });
    expect(envSpecProblems([drifted, LOG_LEVEL, LOG_LEVEL])).toEqual([
      'PUBLISH_INTERVAL: the documented default "2.5" is not the real default 2',
      'LOG_LEVEL is listed twice',
    ]);
  });
});

describe('oneOfNumbers', () => {
  it('reads one of its numbers from digits and refuses the rest, naming them', () => {
    const level = oneOfNumbers([4, 5] as const);
    expect(level.parse(' 5 ')).toBe(5);
    expect(level.safeParse('3').error?.issues[0]?.message).toBe('not one of 4, 5');
  });
});
