import type { ReadTextFile } from '@ot-mqtt/app-kit';

/**
 * Written in MQTT_USERNAME, MQTT_PASSWORD_FILE or MQTT_CLIENT_ID, replaced by each filler's id
 * (CONNECTION_MODE=per-filler): one identity per connection, which the production ACL's
 * `pattern write plc/bottlefiller/%u/#` confines to that machine's topics.
 */
export const MACHINE_ID_PLACEHOLDER = '{machineId}';

/** The variables that may hold {@link MACHINE_ID_PLACEHOLDER}. */
export const PER_MACHINE_VARIABLES = [
  'MQTT_USERNAME',
  'MQTT_PASSWORD_FILE',
  'MQTT_CLIENT_ID',
] as const;

/** `template` with every {@link MACHINE_ID_PLACEHOLDER} replaced by `machineId`. */
export const forMachine = (template: string, machineId: string): string =>
  template.replaceAll(MACHINE_ID_PLACEHOLDER, machineId);

/** Whether `value` holds {@link MACHINE_ID_PLACEHOLDER}. */
export const isPerMachine = (value: string | undefined): value is string =>
  value?.includes(MACHINE_ID_PLACEHOLDER) === true;

/** One connection's credentials. */
export interface MachineAuth {
  readonly username: string;
  readonly password?: string;
}

/**
 * Each machine's credentials: the user name template filled in, and the password — the shared
 * MQTT_PASSWORD, or the first line of the machine's own password file. Stops at the first file it
 * cannot use (one problem is enough to fix a path), reporting which machine's it was.
 */
export function machineAuths(
  machineIds: readonly string[],
  templates: { readonly username: string; readonly passwordFile?: string | undefined },
  shared: { readonly password?: string | undefined },
  readFile: ReadTextFile,
  fail: (reason: string) => void,
): MachineAuth[] | undefined {
  const auths: MachineAuth[] = [];
  for (const id of machineIds) {
    const username = forMachine(templates.username, id);
    let password = shared.password;
    if (templates.passwordFile !== undefined) {
      const path = forMachine(templates.passwordFile, id);
      try {
        password = readFile(path).split(/\r?\n/)[0];
      } catch (error) {
        fail(
          `cannot read ${path}, ${id}'s password (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
        return undefined;
      }
      if (!password) {
        fail(`the first line of ${path}, ${id}'s password, is empty`);
        return undefined;
      }
    }
    auths.push(password === undefined ? { username } : { username, password });
  }
  return auths;
}
