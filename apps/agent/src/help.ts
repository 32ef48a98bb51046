import { ENV_VARS, type EnvVar } from './env-vars.js';

/**
 * The `--help` text: usage, then every environment variable with its default and allowed values,
 * grouped. Built from {@link ENV_VARS}, so it cannot drift from what the agent validates.
 */
export function formatHelp(): string {
  const lines = [
    'ot-mqtt agent — mock bottle-filler PLC publishing its tags to MQTT',
    '',
    'Usage: node apps/agent/dist/main.js [--help]      (or: npx nx serve agent)',
    '',
    'Publishes one scan every PUBLISH_INTERVAL seconds to <TOPIC_ROOT>/{data,inputs,outputs,analog,',
    'status,counters,alarms} (QoS 1, not retained, MQTT 3.1.1) and announces itself online/offline',
    'on the retained topic <TOPIC_ROOT>/connection (with an MQTT last will for crashes).',
    'Configured by environment variables; an empty value counts as unset. An invalid value stops',
    'the agent with exit code 2. SIGINT/SIGTERM stop it cleanly (exit 0).',
    'FILLER_COUNT > 1 simulates a fleet: machines <MACHINE_ID or filler>-0001… publishing to',
    '<TOPIC_ROOT>/<machine id>/<kind> (docs/scaling.md).',
  ];
  const groups = [...new Set(ENV_VARS.map((v) => v.group))];
  for (const group of groups) {
    lines.push('', `${group}:`);
    for (const v of ENV_VARS as readonly EnvVar[]) {
      if (v.group !== group) continue;
      lines.push(`  ${v.name}`);
      lines.push(`      ${v.description}`);
      lines.push(`      default: ${v.default}`);
      lines.push(`      allowed: ${v.allowed}`);
    }
  }
  return lines.join('\n') + '\n';
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');
const code = (text: string): string => {
  // `1883 (8883 with MQTT_TLS=true)` → `` `1883` (8883 with MQTT_TLS=true) ``; `(none)` stays prose.
  if (text.startsWith('(')) return text;
  const at = text.indexOf(' (');
  return at < 0 ? `\`${text}\`` : `\`${text.slice(0, at)}\`${text.slice(at)}`;
};

/**
 * The configuration table of the README and `docs/agent.md`, in Markdown. A test checks that both
 * documents contain exactly this table, so the docs cannot drift from what the agent validates.
 */
export function formatEnvTable(): string {
  const rows = (ENV_VARS as readonly EnvVar[]).map(
    (v) =>
      `| \`${v.name}\` | ${cell(code(v.default))} | ${cell(v.allowed)} | ${cell(v.description)} |`,
  );
  return [
    '| Variable | Default | Allowed values | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
