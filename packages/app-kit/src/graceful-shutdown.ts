import type { LogFields, Logger } from './logger.js';

/** The parts of `process` the shutdown handler uses; replaced in tests. */
export interface ShutdownProcess {
  /** Registers a signal or error listener. */
  on(event: string, listener: (value: unknown) => void): unknown;
  /** Ends the process. */
  exit(code: number): void;
}

/** Options of {@link installGracefulShutdown}. */
export interface GracefulShutdownOptions {
  /** Where "SIGTERM received: stopping", "stopped" and fatal errors are logged. */
  readonly logger: Logger;
  /** Stops the app; the process exits 0 when it resolves, 1 when it rejects. Called once. */
  readonly stop: (signal: string) => Promise<void>;
  /** Extra fields of the "stopping" line (e.g. the flush timeout). */
  readonly fields?: LogFields;
  /** Signals that stop the app (default: SIGINT and SIGTERM). */
  readonly signals?: readonly string[];
  /** The process (default: `process`). */
  readonly process?: ShutdownProcess;
}

/** What {@link installGracefulShutdown} reports back. */
export interface GracefulShutdown {
  /** A stop signal has arrived: an app still loading should not start. */
  readonly stopping: boolean;
}

/**
 * Graceful shutdown for a long-running app: the first SIGINT/SIGTERM logs, runs `stop` and exits 0
 * (1 if `stop` fails); a second one means "now" and exits 130 at once. An uncaught exception or an
 * unhandled rejection is logged in the app's format and exits 1 — a bug must not leave a zombie
 * publisher, and a socket closed without DISCONNECT lets the broker send the last will.
 *
 * @example
 * ```ts
 * import { createLogger, installGracefulShutdown } from '@ot-mqtt/app-kit';
 *
 * const logger = createLogger();
 * const shutdown = installGracefulShutdown({
 *   logger,
 *   stop: async () => {
 *     // close clients, flush buffers
 *   },
 * });
 * if (!shutdown.stopping) {
 *   // start the app
 * }
 * ```
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { logger } = options;
  const proc = options.process ?? (process as unknown as ShutdownProcess);
  let stopping = false;

  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      proc.exit(130);
      return;
    }
    stopping = true;
    logger.info(`${signal} received: stopping`, options.fields);
    options.stop(signal).then(
      () => {
        logger.info('stopped');
        proc.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', {
          reason: error instanceof Error ? error.message : String(error),
        });
        proc.exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ['SIGINT', 'SIGTERM'])
    proc.on(signal, () => onSignal(signal));

  const die = (kind: string) => (error: unknown) => {
    logger.error(kind, {
      reason: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack?.split('\n')[1]?.trim() : undefined,
    });
    proc.exit(1);
  };
  proc.on('uncaughtException', die('unexpected error'));
  proc.on('unhandledRejection', die('unhandled promise rejection'));

  return {
    get stopping() {
      return stopping;
    },
  };
}
