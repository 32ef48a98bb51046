import { formatEnvHelp, formatEnvTable as formatTable } from '@ot-mqtt/app-kit';
import { ENV_VARS } from './env-vars.js';

/**
 * The `--help` text: usage, then every environment variable with its default and allowed values,
 * grouped. Built from {@link ENV_VARS}, so it cannot drift from what the agent validates.
 */
export function formatHelp(): string {
  return formatEnvHelp(ENV_VARS, {
    intro: [
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
    ],
  });
}

/**
 * The configuration table of the README and `docs/agent.md`, in Markdown. A test checks that both
 * documents contain exactly this table, so the docs cannot drift from what the agent validates.
 */
export function formatEnvTable(): string {
  return formatTable(ENV_VARS);
}
