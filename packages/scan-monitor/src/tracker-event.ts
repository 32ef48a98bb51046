import type { SuspectReason } from './plausibility.js';

/** Something worth telling the user about a machine or about the tracking itself. */
export type TrackerEvent =
  | {
      /** The first message of a machine not tracked before. */
      readonly type: 'new-machine';
      readonly machineId: string;
    }
  | {
      /** Sequence numbers skipped: scans lost (or not yet arrived). */
      readonly type: 'gap';
      readonly machineId: string;
      readonly kind: string;
      /** First missing sequence number. */
      readonly from: number;
      /** Last missing sequence number. */
      readonly to: number;
      /** How many are missing. */
      readonly missing: number;
    }
  | {
      /** A sequence number received again (a QoS 1 redelivery). */
      readonly type: 'duplicate';
      readonly machineId: string;
      readonly kind: string;
      readonly sequence: number;
    }
  | {
      /** A message reported missing arrived after all (out of order). */
      readonly type: 'late';
      readonly machineId: string;
      readonly kind: string;
      readonly sequence: number;
    }
  | {
      /**
       * A new sequence baseline: a lower sequence with a newer timestamp (the agent restarted and
       * counts from the start), or a forward jump confirmed by agreeing scans.
       */
      readonly type: 'reset';
      readonly machineId: string;
      readonly kind: string;
      readonly previous: number;
      readonly sequence: number;
    }
  | {
      /**
       * A scan not believed: its timestamp is too far in the future, or its sequence jumped further
       * than the elapsed time allows. It is shown but does not move the machine's baseline.
       */
      readonly type: 'suspect';
      readonly machineId: string;
      readonly kind: string;
      readonly reason: SuspectReason;
      readonly sequence: number;
      /** The scan's embedded timestamp (epoch ms), if readable. */
      readonly timestamp: number | undefined;
      /** Newest believed sequence number of the machine. */
      readonly baseline: number;
    }
  | {
      /** Silent for more than the stale factor × its interval. */
      readonly type: 'stale';
      readonly machineId: string;
      readonly silentForMs: number;
      readonly intervalMs: number;
    }
  | {
      /** Data again after a stale period. */
      readonly type: 'resumed';
      readonly machineId: string;
      readonly silentForMs: number;
    }
  | {
      /** What the agent announced on its connection topic (or the broker as its last will). */
      readonly type: 'connection';
      readonly machineId: string;
      readonly status: 'online' | 'offline';
      readonly retained: boolean;
      readonly publishIntervalMs: number | undefined;
    }
  | {
      /**
       * The tracker holds its limit of machines: messages of machines not tracked yet are shown but
       * not tracked. Reported once until room frees up again.
       */
      readonly type: 'machine-limit';
      readonly limit: number;
      /** The first machine that was not tracked. */
      readonly machineId: string;
    }
  | {
      /** Machines silent for longer than the forget time, dropped from tracking. */
      readonly type: 'forgotten';
      /** How many were forgotten. */
      readonly count: number;
      /** The first few of them (at most 10). */
      readonly machineIds: readonly string[];
      /** The silence after which a machine is forgotten. */
      readonly afterMs: number;
    };
