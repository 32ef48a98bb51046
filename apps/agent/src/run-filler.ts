import { createBottleFiller, simulate$ } from '@ot-mqtt/plc-sim';
import {
  createScanPublisher,
  type PublishFn,
  type ScanPublisher,
  type ScanPublisherOptions,
} from './scan-publisher.js';

/** Options of {@link runFiller}: one simulated machine and where its scans go. */
export interface RunFillerOptions {
  /** Machine id: selects the simulator's seed-derived behaviour and goes into every payload. */
  readonly machineId: string;
  /** Fleet-wide simulator seed (default: the simulator's own default). */
  readonly seed?: number;
  /** Real milliseconds between two published scans. */
  readonly intervalMs: number;
  /** Simulated time per real time. */
  readonly timeScale: number;
  /** Topic root. */
  readonly root: string;
  /** Fleet layout: the machine id as a topic level. */
  readonly includeMachineLevel?: boolean;
  /** The client's publish. */
  readonly publish: PublishFn;
  /** Called for each message the client gives up on. */
  readonly onFailure: ScanPublisherOptions['onFailure'];
  /** Called when a scan cannot be encoded. */
  readonly onInvalid: ScanPublisherOptions['onInvalid'];
  /** Called if the simulator itself fails (a bug): the machine stops scanning. */
  readonly onError: (error: unknown) => void;
}

/** A simulated machine publishing its scans. */
export interface RunningFiller {
  /** Its publisher, for the counters. */
  readonly publisher: ScanPublisher;
  /** Stops scanning (messages already handed to the client are not affected). */
  stop(): void;
}

/**
 * Runs one simulated filler: the first scan at once, then one every `intervalMs`, each published as
 * seven messages. A fleet (issue 6) runs one of these per machine id, over one shared client or one
 * client per machine.
 */
export function runFiller(options: RunFillerOptions): RunningFiller {
  const publisher = createScanPublisher({
    publish: options.publish,
    machineId: options.machineId,
    root: options.root,
    includeMachineLevel: options.includeMachineLevel ?? false,
    onFailure: options.onFailure,
    onInvalid: options.onInvalid,
  });
  const filler = createBottleFiller({
    machineId: options.machineId,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const scanning = simulate$(filler, {
    intervalMs: options.intervalMs,
    timeScale: options.timeScale,
  }).subscribe({
    next: (scan) => publisher.publish(scan.tags, scan.timestamp),
    error: options.onError,
  });
  return { publisher, stop: () => scanning.unsubscribe() };
}
