#!/usr/bin/env node
// `npx nx serve broker`: a development broker on 1883/9001 (see serve-options.ts for settings).
import { join } from 'node:path';
import { followFile, type FileFollower } from './follow-file.js';
import { BrokerStartError, DEFAULT_RUN_DIR, describeBroker, serveBroker } from './serve-broker.js';
import { runServeCli } from './serve-cli.js';
import { parseServeOptions, ServeOptionError, serveHelp } from './serve-options.js';

// Mosquitto logs to a file (kept between runs): show what this run appends, like `mosquitto -v`
// would, minus the autosave line every 5 s.
let log: FileFollower | undefined;
const { started: broker, isStopping } = await runServeCli({
  name: 'broker',
  help: serveHelp,
  parse: (args) => parseServeOptions(process.env, args),
  isOptionError: (error) => error instanceof ServeOptionError,
  start: async (options) => {
    log = await followFile(join(options.runDir ?? DEFAULT_RUN_DIR, 'mosquitto.log'), (line) => {
      if (!line.includes('Saving in-memory database')) console.log(line);
    });
    return serveBroker(options);
  },
  stop: async (started) => {
    await started?.stop();
    await log?.stop();
  },
  startFailure: (error) =>
    `${error instanceof BrokerStartError ? '' : 'could not start: '}${error.message}`,
});
console.log(describeBroker(broker));
if (broker.kind !== 'mosquitto') await log?.stop();
if (broker.kind === 'existing') process.exit(0);

if (broker.kind === 'mosquitto') {
  const { pid, logFile } = broker;
  void broker.exited.then(({ code, signal }) => {
    if (isStopping()) return;
    console.error(
      `broker: Mosquitto (pid ${pid}) ended on its own (${signal ?? `exit code ${code}`}); see ${logFile}`,
    );
    process.exit(1);
  });
}
