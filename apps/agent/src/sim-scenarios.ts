import { loadScenario, shardRange, type Scenario } from '@ot-mqtt/plc-sim';
import type { FleetConfig } from './config.js';

/** SIM_SCENARIO: the scenario of every filler, and of machine-number ranges that differ. */
export interface SimScenarios {
  /** For every machine that no range names. */
  readonly all: Scenario;
  /** Ranges of machine numbers (1-based, as in filler-0001) with their own; the first match wins. */
  readonly ranges: readonly {
    readonly first: number;
    readonly last: number;
    readonly scenario: Scenario;
  }[];
}

const RANGE = /^(\d{1,6})(?:-(\d{1,6}))?=(.+)$/;

/**
 * Reads SIM_SCENARIO: `bad-shift`, or `1-10=bad-shift,11-20=starved-line,plausible` (ranges of
 * machine numbers, then the scenario of the rest). Each entry is a shipped name or a file path.
 * @throws Error (a ScenarioError for a file) saying which entry is wrong.
 */
export function parseSimScenarios(value: string): SimScenarios {
  let all: Scenario | undefined;
  const ranges: { first: number; last: number; scenario: Scenario }[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const match = RANGE.exec(entry);
    if (match === null) {
      if (all !== undefined) throw new Error(`two scenarios without a machine range: ${entry}`);
      all = loadScenario(entry);
      continue;
    }
    const first = Number(match[1]);
    const last = Number(match[2] ?? match[1]);
    if (first < 1 || last < first)
      throw new Error(`not a machine range (1 ≤ first ≤ last): ${entry}`);
    ranges.push({ first, last, scenario: loadScenario(match[3]!) });
  }
  return { all: all ?? loadScenario('plausible'), ranges };
}

/** The scenario of each machine of this agent's shard, by machine id. */
export function scenariosByMachine(sim: SimScenarios, fleet: FleetConfig): Map<string, Scenario> {
  const { first } = shardRange(fleet.size, fleet.shard);
  return new Map(
    fleet.machineIds.map((id, i) => {
      const n = first + i;
      const range = sim.ranges.find((r) => n >= r.first && n <= r.last);
      return [id, range?.scenario ?? sim.all];
    }),
  );
}
