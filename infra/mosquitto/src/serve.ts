#!/usr/bin/env node
// `npx nx serve broker`: a development broker on 1883/9001 (see serve-options.ts for settings).
import { join } from 'node:path';
import { followFile } from './follow-file.js';
import { BrokerStartError, DEFAULT_RUN_DIR, describeBroker, serveBroker } from './serve-broker.js';
import { parseServeOptions, ServeOptionError, serveHelp } from './serve-options.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(serveHelp());
  process.exit(0);
}

let options;
try {
  options = parseServeOptions(process.env, args);
} catch (error) {
  if (!(error instanceof ServeOptionError)) throw error;
  console.error(`broker: ${error.message}`);
  process.exit(2);
}

// Mosquitto logs to a file (kept between runs): show what this run appends, like `mosquitto -v`
// would, minus the autosave line every 5 s.
const log = await followFile(join(options.runDir ?? DEFAULT_RUN_DIR, 'mosquitto.log'), (line) => {
  if (!line.includes('Saving in-memory database')) console.log(line);
});
// Signals are handled from here on, so a broker still starting is stopped too, not orphaned.
let stopping = false;
const starting = serveBroker(options);
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`broker: ${signal}, stopping`);
  const started = await starting.catch(() => undefined);
  await started?.stop();
  await log.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

let broker;
try {
  broker = await starting;
} catch (error) {
  console.error(
    `broker: ${error instanceof BrokerStartError ? '' : 'could not start: '}${(error as Error).message}`,
  );
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // stop() ends the process
console.log(describeBroker(broker));
if (broker.kind !== 'mosquitto') await log.stop();
if (broker.kind === 'existing') process.exit(0);

if (broker.kind === 'mosquitto') {
  const { pid, logFile } = broker;
  void broker.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(
      `broker: Mosquitto (pid ${pid}) ended on its own (${signal ?? `exit code ${code}`}); see ${logFile}`,
    );
    process.exit(1);
  });
}
