import { afterEach, describe, expect, it, vi } from 'vitest';

// The choice is made once, when the module loads, as it is in an app: load it afresh per case.
async function logOption(debug: string | undefined) {
  vi.resetModules();
  vi.stubEnv('DEBUG', debug);
  const { toMqttJsOptions } = await import('./mqttjs-options.js');
  const { resolveOptions } = await import('./resolve-options.js');
  const resolved = resolveOptions({ url: 'mqtt://127.0.0.1:1883' });
  return toMqttJsOptions(resolved, resolved.nodes[0]!).log;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("mqtt.js's packet log", () => {
  it('is a no-op when DEBUG is unset or empty (no per-packet argument arrays)', async () => {
    expect(await logOption(undefined)).toBeTypeOf('function');
    expect(await logOption('')).toBeTypeOf('function');
  });

  it('is left to `debug` when DEBUG asks for any tracing, so DEBUG=mqttjs* still shows packets', async () => {
    expect(await logOption('mqttjs*')).toBeUndefined();
    expect(await logOption('*')).toBeUndefined();
  });
});
