import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMETHEUS_DIR, promtool, PROMTOOL, SKIP_REASON } from './promtool.js';

interface RuleFile {
  groups: { rules: { alert?: string; expr: string }[] }[];
}
interface TestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}
const alerts = (
  parse(readFileSync(join(PROMETHEUS_DIR, 'rules', 'otmqtt-alerts.yml'), 'utf8')) as RuleFile
).groups
  .flatMap((g) => g.rules)
  .flatMap((r) => (r.alert === undefined ? [] : [r.alert]));
const testFiles = readdirSync(join(PROMETHEUS_DIR, 'tests')).filter((f) => f.endsWith('.test.yml'));

describe('alert rules', () => {
  it('cover what an operations team is paged for', () => {
    expect(alerts).toEqual([
      'OtMqttBrokerDown',
      'OtMqttAgentOffline',
      'OtMqttMachineStale',
      'OtMqttPublishFailuresRising',
      'OtMqttMessagesDropped',
      'OtMqttOutboxFilling',
      'OtMqttGatewayLagGrowing',
      'OtMqttEndToEndLatencyHigh',
    ]);
  });

  it('each have a unit test in which they fire and one in which they stay silent', () => {
    const checks = testFiles.flatMap((f) =>
      (parse(readFileSync(join(PROMETHEUS_DIR, 'tests', f), 'utf8')) as TestFile).tests.flatMap(
        (t) => t.alert_rule_test ?? [],
      ),
    );
    for (const alert of alerts) {
      const mine = checks.filter((c) => c.alertname === alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert} never fires in a test`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert} never stays silent`,
      ).toBe(true);
    }
  });

  it.skipIf(PROMTOOL === undefined)(
    `pass \`promtool check config\` and \`check rules\`${SKIP_REASON}`,
    () => {
      const config = promtool(['check', 'config', 'prometheus.yml']);
      expect(config.output).toContain('SUCCESS');
      expect(config.code, config.output).toBe(0);
    },
  );

  it.skipIf(PROMTOOL === undefined)(
    `pass their \`promtool test rules\` unit tests${SKIP_REASON}`,
    () => {
      const run = promtool(['test', 'rules', ...testFiles.map((f) => join('tests', f))]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('SUCCESS');
    },
  );
});
