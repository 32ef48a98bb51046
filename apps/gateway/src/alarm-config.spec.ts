import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText, parseConfig } from './config.js';

const errorsOf = (env: Record<string, string>) => {
  const r = parseConfig(env, []);
  return r.kind === 'error' ? r.errors : [];
};

describe('gateway alarm and OEE configuration', () => {
  it('defaults: acknowledging off, shifts of 8 h from 06:00 UTC, ideal rate 16 bottles/min', () => {
    const r = parseConfig({}, []);
    expect(r.kind === 'ok' && r.config.alarms).toEqual({
      operatorToken: undefined,
      shiftStart: '06:00',
      shiftHours: 8,
      shiftUtcOffsetMinutes: 0,
      idealRatePerMinute: 16,
    });
  });

  it('reads the operator token from the variable or its file, and the shift and rate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-cfg-'));
    try {
      const file = join(dir, 'operator');
      writeFileSync(file, 'a-token-from-the-file\nignored\n');
      const r = parseConfig(
        {
          GATEWAY_OPERATOR_TOKEN_FILE: file,
          GATEWAY_SHIFT_START: '22:30',
          GATEWAY_SHIFT_HOURS: '12',
          GATEWAY_SHIFT_UTC_OFFSET: '-300',
          GATEWAY_OEE_IDEAL_RATE: '15.5',
        },
        [],
      );
      expect(r.kind === 'ok' && r.config.alarms).toEqual({
        operatorToken: 'a-token-from-the-file',
        shiftStart: '22:30',
        shiftHours: 12,
        shiftUtcOffsetMinutes: -300,
        idealRatePerMinute: 15.5,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['GATEWAY_OPERATOR_TOKEN', 'short'],
    ['GATEWAY_OPERATOR_TOKEN_FILE', '/nonexistent/operator-token'],
    ['GATEWAY_SHIFT_START', '25:00'],
    ['GATEWAY_SHIFT_HOURS', '5'],
    ['GATEWAY_SHIFT_UTC_OFFSET', '+1h'],
    ['GATEWAY_OEE_IDEAL_RATE', '0'],
  ])('rejects %s=%s naming the variable and what is allowed', (name, value) => {
    const errors = errorsOf({ [name]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^Invalid ${name}=`, 'u'));
    expect(errors[0]).toContain('Allowed: ');
  });

  it('never prints the operator token, and refuses one equal to the read token', () => {
    expect(errorsOf({ GATEWAY_OPERATOR_TOKEN: 'short\u0001' }).join()).not.toContain('short');
    const same = 'the-very-same-token-twice';
    const errors = errorsOf({ GATEWAY_TOKEN: same, GATEWAY_OPERATOR_TOKEN: same });
    expect(errors).toEqual([
      expect.stringMatching(
        /^Invalid GATEWAY_OPERATOR_TOKEN=\(hidden\): is the same as GATEWAY_TOKEN/u,
      ),
    ]);
    expect(errors.join()).not.toContain(same);
  });

  it('documents every new variable in --help', () => {
    for (const name of [
      'GATEWAY_OPERATOR_TOKEN',
      'GATEWAY_OPERATOR_TOKEN_FILE',
      'GATEWAY_SHIFT_START',
      'GATEWAY_SHIFT_HOURS',
      'GATEWAY_SHIFT_UTC_OFFSET',
      'GATEWAY_OEE_IDEAL_RATE',
    ])
      expect(helpText()).toContain(name);
  });
});
