import { describe, expect, it } from 'vitest';
import { METRICS_VARIABLES, readMetricsEnv } from './metrics-env.js';

describe('readMetricsEnv', () => {
  it('is off without METRICS_PORT and listens on 127.0.0.1 by default', () => {
    expect(readMetricsEnv({})).toEqual({
      ok: true,
      settings: { port: undefined, host: '127.0.0.1', maxMachines: 100 },
    });
    expect(readMetricsEnv({ METRICS_PORT: '  ' })).toMatchObject({ settings: { port: undefined } });
  });

  it('reads port, host and machine limit', () => {
    expect(
      readMetricsEnv({
        METRICS_PORT: '9464',
        METRICS_HOST: '0.0.0.0',
        METRICS_MAX_MACHINES: '1000',
      }),
    ).toEqual({ ok: true, settings: { port: 9464, host: '0.0.0.0', maxMachines: 1000 } });
    expect(readMetricsEnv({ METRICS_PORT: '1', METRICS_HOST: '[::1]' })).toMatchObject({
      settings: { host: '::1' },
    });
  });

  it('names each bad variable and what is allowed', () => {
    const read = readMetricsEnv({
      METRICS_PORT: '70000',
      METRICS_HOST: 'a b',
      METRICS_MAX_MACHINES: '-1',
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => e.variable)).toEqual([
      'METRICS_PORT',
      'METRICS_HOST',
      'METRICS_MAX_MACHINES',
    ]);
    expect(read.errors[0]!.message).toContain('1-65535');
  });

  it('documents every variable it reads', () => {
    expect(METRICS_VARIABLES.map((v) => v.name)).toEqual([
      'METRICS_PORT',
      'METRICS_HOST',
      'METRICS_MAX_MACHINES',
    ]);
  });
});
