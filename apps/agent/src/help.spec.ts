import { describe, expect, it } from 'vitest';
import { ENV_VARS } from './env-vars.js';
import { formatHelp } from './help.js';

describe('agent --help', () => {
  it('lists every variable with its default and allowed values', () => {
    const help = formatHelp();
    for (const v of ENV_VARS) {
      const at = help.indexOf(`  ${v.name}\n`);
      expect(at, v.name).toBeGreaterThan(0);
      const block = help.slice(at).split('\n').slice(0, 4).join('\n');
      expect(block).toContain(`default: ${v.default}`);
      expect(block).toContain(`allowed: ${v.allowed}`);
    }
  });

  it('keeps the architecture document defaults visible', () => {
    const help = formatHelp();
    expect(help).toMatch(/MQTT_BROKER_HOST\n.*\n\s+default: localhost\n/);
    expect(help).toMatch(/MQTT_BROKER_PORT\n.*\n\s+default: 1883/);
    expect(help).toMatch(/PUBLISH_INTERVAL\n.*\n\s+default: 2\.0\n/);
  });
});
