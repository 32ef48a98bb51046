// The messages between the gateway's HTTP thread and its ingest thread (ingest-thread.ts,
// start-ingest-thread.ts). Everything here is structured-cloned: plain data only.
import type { LogFields } from '@ot-mqtt/app-kit';
import type { DataPayload } from '@ot-mqtt/tag-model';
import type { CommitStatus } from './commit-queue.js';
import type { GatewayConfig } from './config.js';
import type { IngestStatus } from './ingest.js';

/** What the ingest thread starts with. */
export interface IngestThreadData {
  readonly config: GatewayConfig;
  /** METRICS_PORT is set: post the scans, commits and connection figures for `/metrics`. */
  readonly metrics: boolean;
}

/** One committed scan's alarm tags, for the alarm server (which lives on the HTTP thread). */
export interface CommittedAlarms {
  readonly machineId: string;
  readonly timestamp: string;
  readonly alarms: DataPayload['tags']['alarms'];
  readonly topic: string;
}

/** An ingest connection's state and totals, as `instrumentMqttClients` reads them. */
export interface ClientFigures {
  readonly status: 'connecting' | 'connected' | 'reconnecting' | 'closed';
  readonly received: number;
  readonly reconnects: number;
}

/** The figures `/metrics` needs from the ingest, gathered since the previous post. */
export interface MetricsBatch {
  /** Valid scans: machine id, sequence, scan time (epoch ms), received at (epoch ms). */
  readonly scans: Array<[string, number, number, number]>;
  readonly connections: Array<{
    readonly machineId: string;
    readonly status: 'online' | 'offline';
    readonly publishIntervalMs: number | undefined;
    readonly retained: boolean;
    readonly receivedAt: number;
  }>;
  invalid: number;
  /** Commits: seconds, scans stored, samples written. */
  readonly committed: Array<[number, number, number]>;
  failed: number;
  /** Connection events per ingest connection (disconnected, connect-failed). */
  readonly clientEvents: Array<{
    readonly n: number;
    readonly type: string;
    readonly reason?: string;
  }>;
}

/** Ingest thread → HTTP thread. */
export type FromIngestThread =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly error: string }
  | {
      readonly type: 'status';
      /** When the figures were taken (epoch ms). */
      readonly at: number;
      readonly queue: CommitStatus;
      readonly ingest: IngestStatus;
      readonly clients: readonly ClientFigures[];
    }
  | {
      readonly type: 'log';
      readonly level: 'error' | 'warn' | 'info' | 'debug';
      readonly message: string;
      readonly fields: LogFields | undefined;
    }
  | { readonly type: 'alarms'; readonly id: number; readonly scans: readonly CommittedAlarms[] }
  | { readonly type: 'metrics'; readonly batch: MetricsBatch }
  | { readonly type: 'closed' };

/** HTTP thread → ingest thread. */
export type ToIngestThread =
  /** The alarm server journalled the transitions of batch `id` (`ok: false`: it is stopping). */
  | { readonly type: 'alarms-done'; readonly id: number; readonly ok: boolean }
  | { readonly type: 'close' };
