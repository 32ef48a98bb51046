import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { documentedDefault, envSpecProblems } from '@ot-mqtt/app-kit';
import { ENV_VARS } from './env-vars.js';
import { formatHelp } from './help.js';

describe('agent --help', () => {
  it('lists every variable with its default and allowed values', () => {
    const help = formatHelp();
    for (const v of ENV_VARS) {
      const at = help.indexOf(`  ${v.name}\n`);
      expect(at, v.name).toBeGreaterThan(0);
      const block = help.slice(at).split('\n').slice(0, 4).join('\n');
      expect(block).toContain(`default: ${documentedDefault(v)}`);
      expect(block).toContain(`allowed: ${v.allowed}`);
    }
  });

  it('keeps the architecture document defaults visible', () => {
    const help = formatHelp();
    expect(help).toMatch(/MQTT_BROKER_HOST\n.*\n\s+default: localhost\n/);
    expect(help).toMatch(/MQTT_BROKER_PORT\n.*\n\s+default: 1883/);
    expect(help).toMatch(/PUBLISH_INTERVAL\n.*\n\s+default: 2\.0\n/);
  });

  it('documents every default as the value the agent really uses', () => {
    expect(envSpecProblems(ENV_VARS)).toEqual([]);
  });
});

describe('agent package.json', () => {
  it('points only at files that exist (its bin is the built main.ts, no phantom src/index.ts)', () => {
    const url = (p: string) => new URL(`../${p}`, import.meta.url);
    const pkg = JSON.parse(readFileSync(url('package.json'), 'utf8')) as {
      bin?: Record<string, string>;
      exports?: unknown;
    };
    expect(pkg.exports).toBeUndefined();
    for (const target of Object.values(pkg.bin ?? {}))
      expect(existsSync(url(target.replace('./dist/', './src/').replace(/\.js$/, '.ts')))).toBe(
        true,
      );
  });
});
