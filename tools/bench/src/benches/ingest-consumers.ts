import { spawnCounted, type CountedChild } from '../harness/child-process.js';
import { VIEWER_MAIN } from '../harness/workspace-paths.js';

/** The machine id of the burst's last message: its line on stdout ends a drain. */
export const MARKER = 'bench-end-of-burst';

/** A program under test that subscribes and prints what it receives. */
export interface Consumer {
  readonly name: string;
  /** Whether it prints exactly one stdout line per message, so that lines count deliveries. */
  readonly linePerMessage: boolean;
  /** Starts the consumer with a persistent session under `clientId`, printing to stdout. */
  spawn(clientId: string, port: number, qos: 0 | 1): CountedChild;
}

/** The C client of the same Mosquitto release: the baseline. */
export const mosquittoSub: Consumer = {
  name: 'mosquitto_sub',
  linePerMessage: true,
  spawn: (clientId, port) =>
    spawnCounted(
      'mosquitto_sub',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-t',
        'plc/bottlefiller/#',
        '-q',
        '1',
        '-c',
        '-i',
        clientId,
      ],
      {},
      MARKER,
      'file',
    ),
};

/** The built viewer in NDJSON or summary mode. */
export function viewer(mode: 'ndjson' | 'summary'): Consumer {
  return {
    name: `viewer ${mode}`,
    linePerMessage: mode === 'ndjson',
    spawn: (clientId, port, qos) =>
      spawnCounted(
        process.execPath,
        [VIEWER_MAIN],
        {
          MQTT_BROKER_HOST: '127.0.0.1',
          MQTT_BROKER_PORT: String(port),
          MQTT_CLIENT_ID: clientId,
          MQTT_CLEAN_SESSION: 'false',
          VIEWER_MODE: mode,
          VIEWER_QOS: String(qos),
          VIEWER_STATS_INTERVAL: '0',
          // NDJSON reports on stderr, which the bench keeps for its failure notes (gaps from the
          // broker's drops, lines the viewer dropped for a slow reader); summary reports on stdout.
          LOG_LEVEL: mode === 'ndjson' ? 'warn' : 'error',
          NO_COLOR: '1',
        },
        MARKER,
        'file',
      ),
  };
}
