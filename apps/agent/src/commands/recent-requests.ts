import type { CommandOutcome } from '@ot-mqtt/plc-sim';

/** Default bound of {@link createRecentRequests}: outcomes remembered over all machines. */
export const DEFAULT_RECENT_REQUESTS = 4096;

/**
 * The outcomes of the last requests, so that a repeated request id (a QoS 1 redelivery, or an HMI
 * retrying after a lost reply) is answered again without being applied twice. Bounded: the oldest
 * request is forgotten first, so a sender flooding request ids costs memory up to the bound only.
 */
export interface RecentRequests {
  get(machineId: string, requestId: string): CommandOutcome | undefined;
  remember(machineId: string, requestId: string, outcome: CommandOutcome): void;
  readonly size: number;
}

export function createRecentRequests(max = DEFAULT_RECENT_REQUESTS): RecentRequests {
  // A Map iterates in insertion order: its first key is the oldest request.
  const outcomes = new Map<string, CommandOutcome>();
  // NUL cannot occur in a machine id (it is a topic level), so the key is unambiguous.
  const key = (machineId: string, requestId: string) => `${machineId}\u0000${requestId}`;
  return {
    get: (machineId, requestId) => outcomes.get(key(machineId, requestId)),
    remember(machineId, requestId, outcome) {
      outcomes.set(key(machineId, requestId), outcome);
      if (outcomes.size > max) outcomes.delete(outcomes.keys().next().value!);
    },
    get size() {
      return outcomes.size;
    },
  };
}
