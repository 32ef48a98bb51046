// What a machine tracker reports: per machine, and over everything it was given.

/** Statistics of one machine at a moment. */
export interface MachineStats {
  /** Machine id. */
  readonly machineId: string;
  /** Last announced connection status, if any. */
  readonly connection: 'online' | 'offline' | undefined;
  /** Silent for more than `staleFactor` intervals. */
  readonly stale: boolean;
  /** Valid messages received. */
  readonly messages: number;
  /** Invalid messages attributed to this machine (only once it is tracked). */
  readonly invalid: number;
  /** Distinct sequence numbers seen on the reference topic (`data` when present): scans. */
  readonly scans: number;
  /** Sequence numbers skipped and not (yet) received. */
  readonly missing: number;
  /** Sequence numbers received more than once. */
  readonly duplicates: number;
  /** Messages that arrived after a later one. */
  readonly late: number;
  /** Sequence restarts (agent restarts, confirmed jumps). */
  readonly resets: number;
  /** Scans not believed (future timestamp, implausible sequence jump). */
  readonly suspect: number;
  /** Valid messages per second over the rate window. */
  readonly ratePerSecond: number;
  /** End-to-end latency percentiles (ms) over the latency window; `undefined` without samples. */
  readonly latency:
    { readonly p50: number; readonly p99: number; readonly samples: number } | undefined;
  /** Publish interval used for staleness (announced or learned), if known. */
  readonly intervalMs: number | undefined;
  /** When the last valid message arrived. */
  readonly lastSeenAt: number | undefined;
}

/** Counts over everything the tracker was given, tracked machines or not. */
export interface TrackerTotals {
  /** Machines tracked now. */
  readonly machines: number;
  /** The most machines tracked at once ({@link MachineTrackerOptions.maxMachines}). */
  readonly maxMachines: number;
  /** Valid messages recorded (tracked machines or not). */
  readonly valid: number;
  /** Invalid messages recorded (whatever their topic claimed). */
  readonly invalid: number;
  /** Valid messages of machines not tracked because the limit was reached. */
  readonly untracked: number;
  /** Machines forgotten after their silence. */
  readonly forgotten: number;
}
