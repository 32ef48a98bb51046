import { readFile } from 'node:fs/promises';
import { startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';

/** A fresh Mosquitto for one bench, plus the settings that shape the figures. */
export interface BenchBroker {
  readonly broker: RunningMosquitto;
  /** `dev` = the project's development config as is; `bench` = the same plus `extra` lines. */
  readonly variant: 'dev' | 'bench';
  /** Settings that change the figures (queue limits, Nagle), as the adapted config states them. */
  readonly settings: Record<string, string>;
  stop(): Promise<void>;
}

// Mosquitto 2.0 defaults for the settings below when the config leaves them out (mosquitto.conf(5)).
const DEFAULTS: Record<string, string> = {
  max_queued_messages: '1000 (default)',
  max_queued_bytes: '0 = unlimited (default)',
  max_inflight_messages: '20 (default)',
  set_tcp_nodelay: 'false (default)',
  persistence: 'false (default)',
  max_packet_size: 'unlimited (default)',
};

/**
 * Starts Mosquitto with the project's development config (`infra/mosquitto/config/mosquitto.conf`)
 * on ephemeral ports. `extra` lines are appended for a bench variant (say so in the report).
 */
export async function startBenchBroker(extra?: string): Promise<BenchBroker> {
  const broker = await startMosquitto(extra ? { extra } : {});
  const text = await readFile(broker.configPath, 'utf8');
  const settings: Record<string, string> = {};
  for (const key of Object.keys(DEFAULTS)) {
    const all = [...text.matchAll(new RegExp(`^\\s*${key}\\s+(\\S+)`, 'gm'))];
    settings[key] = all.at(-1)?.[1] ?? DEFAULTS[key]!;
  }
  return {
    broker,
    variant: extra ? 'bench' : 'dev',
    settings,
    stop: () => broker.stop(),
  };
}
