import { execFile } from 'node:child_process';
import { mosquittoClientArgs, type MosquittoClientOptions } from './mosquitto-cli-args.js';

/** Options of {@link mosquittoPub}. */
export interface MosquittoPubOptions extends MosquittoClientOptions {
  readonly topic: string;
  /** Payload (`-m`); default an empty message (`-n`). */
  readonly message?: string;
  /** Send this file's bytes as the payload instead (`-f`): binary or oversized messages. */
  readonly file?: string;
  /** QoS (default 1: `mosquitto_pub` then waits for the PUBACK before it exits). */
  readonly qos?: 0 | 1 | 2;
  /** Retain flag (`-r`). */
  readonly retain?: boolean;
  /** Extra raw arguments, e.g. `['-D', 'publish', 'response-topic', 'x']`. */
  readonly args?: readonly string[];
  /** How long it may take (default 15 s). */
  readonly timeoutMs?: number;
}

/** What `mosquitto_pub` said and how it ended. */
export interface MosquittoPubResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Publishes one message with `mosquitto_pub`, the third-party client an integrator would use,
 * and resolves with its exit code and output (never rejects on a non-zero exit: a refusal is a
 * result the test asserts on). With MQTT 5 and QoS ≥ 1, Mosquitto 2.0's ACL refusal is reported
 * by `mosquitto_pub` as `Warning: Publish 1 failed: Not authorized.`
 *
 * @example
 * ```ts
 * const { code } = await mosquittoPub({ url: broker.url, topic: 'plc/bottlefiller/command', message: '{}' });
 * ```
 */
export function mosquittoPub(options: MosquittoPubOptions): Promise<MosquittoPubResult> {
  const args = [
    ...mosquittoClientArgs(options),
    ...['-t', options.topic, '-q', String(options.qos ?? 1)],
    ...(options.file !== undefined
      ? ['-f', options.file]
      : options.message === undefined
        ? ['-n']
        : ['-m', options.message]),
    ...(options.retain ? ['-r'] : []),
    ...(options.args ?? []),
  ];
  return new Promise((resolve) => {
    execFile(
      'mosquitto_pub',
      args,
      { timeout: options.timeoutMs ?? 15_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
