/** What a `npx nx serve …` script says and does around the servers it starts. */
export interface ServeCli<O, S> {
  /** Prefix of every line it prints, e.g. `broker`. */
  readonly name: string;
  /** The `--help` text. */
  readonly help: () => string;
  /** Reads the options; throws an error `isOptionError` accepts for bad input (exit code 2). */
  readonly parse: (args: readonly string[]) => O;
  /** Whether a `parse` error is the user's (printed, exit 2) rather than a bug (thrown). */
  readonly isOptionError: (error: unknown) => boolean;
  /** Starts the servers. */
  readonly start: (options: O) => Promise<S>;
  /** Stops what `start` started (`undefined` when it failed). */
  readonly stop: (started: S | undefined) => Promise<void>;
  /** The line after a signal, e.g. `stopping the nodes` (default `stopping`). */
  readonly stopping?: string;
  /** The line when `start` fails (default `could not start: <message>`). */
  readonly startFailure?: (error: Error) => string;
}

/** A started {@link runServeCli}: its options and servers, and whether a signal is stopping them. */
export interface ServingCli<O, S> {
  readonly options: O;
  readonly started: S;
  /** True once a signal arrived: the process ends when the servers are stopped. */
  readonly isStopping: () => boolean;
}

/**
 * The life of a serve script: `--help` (exit 0), options (exit 2 when bad), start with SIGINT and
 * SIGTERM handled from the first moment — so servers still starting are stopped too, not orphaned —
 * then stop and exit 0 on a signal, exit 1 when starting fails. Resolves once the servers run.
 *
 * @example
 * ```ts
 * const { started } = await runServeCli({
 *   name: 'cluster',
 *   help: clusterServeHelp,
 *   parse: parseClusterServeOptions,
 *   isOptionError: (e) => e instanceof ClusterOptionError,
 *   start: startNatsCluster,
 *   stop: async (cluster) => cluster?.stop(),
 * });
 * ```
 */
export async function runServeCli<O, S>(cli: ServeCli<O, S>): Promise<ServingCli<O, S>> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(cli.help());
    process.exit(0);
  }
  let options: O;
  try {
    options = cli.parse(args);
  } catch (error) {
    if (!cli.isOptionError(error)) throw error;
    console.error(`${cli.name}: ${(error as Error).message}`);
    process.exit(2);
  }

  let stopping = false;
  const starting = cli.start(options);
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${cli.name}: ${signal}, ${cli.stopping ?? 'stopping'}`);
    await cli.stop(await starting.catch(() => undefined));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  let started: S;
  try {
    started = await starting;
  } catch (error) {
    const failure = cli.startFailure ?? ((e: Error) => `could not start: ${e.message}`);
    console.error(`${cli.name}: ${failure(error as Error)}`);
    process.exit(1);
  }
  if (stopping) await new Promise(() => {}); // stop() ends the process
  return { options, started, isStopping: () => stopping };
}
