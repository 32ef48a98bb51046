/** The `machine` label shared by every machine beyond the limit. */
export const OTHER_MACHINES = '_other';

/** Maps machine ids to `machine` label values, at most `limit` distinct ones plus {@link OTHER_MACHINES}. */
export interface MachineLabels {
  /** The label for `machineId`: its own id while there is room, `_other` after that. */
  of(machineId: string): string;
  /** Machines that got their own label. */
  readonly size: number;
  /** Distinct machines refused a label of their own because the limit was reached (capped count). */
  readonly overflowed: number;
}

/**
 * First come, first labelled: a machine keeps the label it got for the life of the process, so a
 * series never changes its meaning. Subscribers see whatever machine ids arrive on the broker (hostile
 * input), so the set of label values must be bounded by configuration, not by the traffic.
 */
export function createMachineLabels(limit: number): MachineLabels {
  const labelled = new Set<string>();
  // Remembered only up to a bound as well: it exists to count distinct overflowing machines.
  const refused = new Set<string>();
  return {
    of(machineId) {
      if (labelled.has(machineId)) return machineId;
      if (labelled.size < limit && machineId !== OTHER_MACHINES) {
        labelled.add(machineId);
        return machineId;
      }
      if (refused.size < 10_000) refused.add(machineId);
      return OTHER_MACHINES;
    },
    get size() {
      return labelled.size;
    },
    get overflowed() {
      return refused.size;
    },
  };
}
