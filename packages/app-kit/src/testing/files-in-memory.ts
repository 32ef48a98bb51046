import type { ReadTextFile } from '../resolve-mqtt-connection.js';

/**
 * A {@link ReadTextFile} over files held in memory, for tests of the `*_FILE` variables
 * (`MQTT_PASSWORD_FILE`, `MQTT_CA_FILE`, …): a path it does not hold fails as `readFileSync` does,
 * with an `Error` whose `code` is `ENOENT`, so the "cannot read the file (ENOENT)" message is the
 * one a user would see.
 *
 * @example
 * ```ts
 * const readFile = filesInMemory({ '/run/secrets/pw': 's3cret\n' });
 * resolveMqttConnection(parsed, { readFile });
 * ```
 */
export function filesInMemory(files: Readonly<Record<string, string>>): ReadTextFile {
  return (path) => {
    const text = files[path];
    if (text === undefined) {
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
        code: 'ENOENT',
      });
    }
    return text;
  };
}
