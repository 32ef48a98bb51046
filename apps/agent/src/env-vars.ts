import {
  LOG_FORMAT,
  LOG_LEVEL,
  METRICS_ENV,
  MQTT_ENV,
  envVar,
  oneOf,
  restateEnv,
  seconds,
  textRule,
  wholeNumber,
} from '@ot-mqtt/app-kit';
import { z } from 'zod';
import { DEFAULT_SEED, SHIPPED_SCENARIOS, parseShard, type Shard } from '@ot-mqtt/plc-sim';
import { machineIdProblem, topicRootProblem } from '@ot-mqtt/tag-model';
import { PAYLOAD_ENV_VARS } from './payload-env-vars.js';
import { parseSimScenarios, type SimScenarios } from './sim-scenarios.js';

// Shipped names or files, read and validated at start, so a bad file stops the agent (exit 2)
// naming the variable and the field.
const scenario: z.ZodType<SimScenarios, string> = z.string().transform((v, ctx) => {
  try {
    return parseSimScenarios(v);
  } catch (error) {
    // The variable's value is already in the message's head: "Invalid SIM_SCENARIO=<path>: …".
    const message = (error as Error).message;
    ctx.addIssue({
      code: 'custom',
      message: message.startsWith(`${v}: `) ? message.slice(v.length + 2) : message,
    });
    return z.NEVER;
  }
});

const shard: z.ZodType<Shard, string> = z.string().transform((v, ctx) => {
  const parsed = parseShard(v);
  if (parsed === undefined)
    ctx.addIssue({ code: 'custom', message: 'not i/n with whole numbers 0 <= i < n' });
  return parsed ?? { index: 0, count: 1 };
});

/**
 * Every environment variable of the agent, in the order `--help` lists them: the shared broker
 * variables of `@ot-mqtt/app-kit`, the agent's own, and the shared logging and metrics ones. The
 * names of the first three are the architecture document's and must not change.
 */
export const ENV_VARS = [
  ...restateEnv(MQTT_ENV, {
    MQTT_CLIENT_ID: {
      defaultText: 'ot-mqtt-agent-<MACHINE_ID> (fleets: see docs/scaling.md)',
      description:
        'MQTT client id; stable so the broker keeps the session (and queued messages) across reconnects. With CONNECTION_MODE=per-filler the prefix of one id per filler, or a template holding {machineId}.',
    },
    MQTT_USERNAME: {
      description:
        "User name for broker authentication. With CONNECTION_MODE=per-filler, {machineId} in it is replaced by each filler's id: one identity per filler (docs/security.md).",
    },
    MQTT_PASSWORD_FILE: {
      description:
        "File holding the password (Docker/Kubernetes secrets). With CONNECTION_MODE=per-filler, {machineId} in it names each filler's own file (setup-secure --machine writes clients/<id>.password).",
    },
  }),
  envVar({
    name: 'MACHINE_ID',
    group: 'Simulator',
    description:
      'Machine id carried in every payload and in the default client id; with FILLER_COUNT > 1 the prefix of the numbered ids (filler-0001, filler-0002, …).',
    allowed: '1-64 characters: letters, digits, . _ -',
    schema: textRule(machineIdProblem),
    defaultText: 'filler-01 (fleet prefix: filler)',
  }),
  envVar({
    name: 'PUBLISH_INTERVAL',
    group: 'Simulator',
    description: 'Seconds between two scans published.',
    allowed: 'seconds, greater than 0 and at most 86400 (e.g. 0.5, 2, 10)',
    schema: seconds(0, 86400, { minExclusive: true }).refine((v) => v >= 0.01, {
      message: 'below the minimum 0.01',
    }),
    default: 2,
    defaultText: '2.0',
  }),
  envVar({
    name: 'SIM_SEED',
    group: 'Simulator',
    description: 'Simulator seed: the same seed replays the same run.',
    allowed: 'a whole number, 0-4294967295',
    schema: wholeNumber(0, 4294967295),
    // Unset is not the same as the default seed in the log: the agent says which seed it used.
    defaultText: `${DEFAULT_SEED} (the simulator's default: every run replays the same)`,
  }),
  envVar({
    name: 'SIM_TIME_SCALE',
    group: 'Simulator',
    description:
      'Simulated seconds per real second (e.g. 10 runs the filler ten times faster than real time).',
    allowed: 'a number greater than 0 and at most 1000',
    schema: seconds(0, 1000, { minExclusive: true }),
    default: 1,
  }),
  envVar({
    name: 'SIM_SCENARIO',
    group: 'Simulator',
    description:
      'The shift every filler of this agent runs: disturbances (jams, cap feed empty, sticking valve, late supply, starved, blocked) with MTBF and repair times, drifts, a simulated operator who resets and restarts (until the first command drives the line), scheduled events. A shipped name or a YAML/JSON file (docs/disturbances.md); steady: the line that never falters.',
    allowed: `${SHIPPED_SCENARIOS.join(', ')} or a scenario file; ranges of machine numbers first: 1-10=bad-shift,plausible`,
    schema: scenario,
    default: parseSimScenarios('plausible'),
    defaultText: 'plausible (a plausible shift: OEE ~65-75 %)',
  }),
  envVar({
    name: 'FILLER_COUNT',
    group: 'Fleet',
    description:
      'Fillers in the fleet (all shards together). Above 1 each gets its own machine id, seed-derived behaviour and topic level <TOPIC_ROOT>/<machine id>/, scans spread over the interval.',
    allowed: 'a whole number, 1-100000',
    schema: wholeNumber(1, 100_000),
    default: 1,
  }),
  envVar({
    name: 'FILLER_SHARD',
    group: 'Fleet',
    description:
      'This agent simulates slice i of n of the machines 1..FILLER_COUNT: n agents started with 0/n … (n-1)/n publish the fleet once, without overlap.',
    allowed: 'i/n with whole numbers 0 <= i < n <= FILLER_COUNT',
    schema: shard,
    default: { index: 0, count: 1 },
    defaultText: '0/1 (the whole fleet)',
  }),
  envVar({
    name: 'CONNECTION_MODE',
    group: 'Fleet',
    description:
      'shared: one MQTT connection for all fillers; per-filler: one per filler, each with its own client id and last will, as a plant of real PLCs has.',
    allowed: 'shared or per-filler',
    schema: oneOf(['shared', 'per-filler'] as const),
    default: 'shared' as const,
  }),
  envVar({
    name: 'TOPIC_ROOT',
    group: 'Delivery',
    description: 'Topic prefix of the seven data topics and the connection topic.',
    allowed: 'an MQTT topic without wildcards (+ #), empty levels or a leading $',
    schema: textRule(topicRootProblem),
    default: 'plc/bottlefiller',
  }),
  envVar({
    name: 'OUTBOX_MAX_MESSAGES',
    group: 'Delivery',
    description:
      'Messages buffered per connection while the broker is unreachable (10000 = about 48 min of scans of one filler at 2 s).',
    allowed: 'a whole number, 1-10000000',
    schema: wholeNumber(1, 10_000_000),
    defaultText: '10000 (shared fleet connection: 14 per filler, if more)',
  }),
  envVar({
    name: 'OUTBOX_BUDGET_MB',
    group: 'Delivery',
    description:
      'Memory for buffered messages of the whole agent, all connections together (each message counted as its bytes + 640). When reached, OUTBOX_OVERFLOW applies to the oldest buffered scans across the fleet.',
    allowed: 'a whole number of MiB, 1-65536',
    schema: wholeNumber(1, 65_536),
    default: 128,
  }),
  envVar({
    name: 'OUTBOX_OVERFLOW',
    group: 'Delivery',
    description: 'What a full buffer does: drop the oldest message, or refuse the new one.',
    allowed: 'drop-oldest or reject-new',
    schema: oneOf(['drop-oldest', 'reject-new'] as const),
    default: 'drop-oldest' as const,
  }),
  envVar({
    name: 'SHUTDOWN_TIMEOUT',
    group: 'Delivery',
    description:
      'On SIGINT/SIGTERM, how long to wait for unacknowledged messages before disconnecting; during an outage, for the broker to come back.',
    allowed: 'seconds, 0-300',
    schema: seconds(0, 300),
    default: 5,
  }),
  ...PAYLOAD_ENV_VARS,
  LOG_LEVEL,
  LOG_FORMAT,
  envVar({
    name: 'SUMMARY_INTERVAL',
    group: 'Logging',
    description: 'Seconds between two one-line summaries (scans, messages, acks, drops).',
    allowed: 'seconds, 0-86400 (0 turns the summary off)',
    schema: seconds(0, 86400),
    default: 30,
  }),
  ...METRICS_ENV,
] as const;

/** Name of a variable the agent reads. */
export type EnvVarName = (typeof ENV_VARS)[number]['name'];
