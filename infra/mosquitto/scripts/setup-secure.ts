// `npx nx run broker:setup-secure [-- --hostname mqtt.plant.local --hostname 10.0.0.5 --force]`
// One command to a working secure broker: development CA, certificates, passwords, password file.
import { parseArgs } from 'node:util';
import { DEFAULT_SECRETS_DIR, setupSecure } from '../src/security/setup-secure.js';

const HELP = `Creates the secrets of the production (secure) broker profile, for development and tests:
a development CA, a server certificate, client certificates (agent, viewer, dashboard, ot-bridge),
a random password per user and the Mosquitto password file. Existing files are kept.

Usage: npx nx run broker:setup-secure [-- options]
  --hostname <name|ip>   extra DNS name or IP address of the broker for its certificate
                         (repeatable; always included: localhost, 127.0.0.1, ::1, this host's name)
  --dir <path>           where to write (default: ${DEFAULT_SECRETS_DIR}, gitignored)
  --force                throw away what exists (new CA: clients must trust the new ca.crt)
  --help                 this text

A plant brings its own CA and certificates instead: see docs/security.md.
`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      hostname: { type: 'string', multiple: true },
      dir: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`setup-secure: ${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

try {
  const setup = await setupSecure({
    ...(values.dir ? { dir: values.dir } : {}),
    hostnames: values.hostname ?? [],
    force: values.force ?? false,
  });
  const user = (name: string) => setup.users[name]!;
  // Absolute paths: the apps run with their own folder as working directory.
  console.log(
    [
      `setup-secure: secrets in ${setup.dir} — private: never commit, copy or mail them.`,
      setup.created.length > 0
        ? `  created: ${setup.created.join(', ')}`
        : '  nothing new: everything already existed (use --force to start over)',
      `  CA certificate (clients trust it): ${setup.caFile}`,
      `  server certificate valid for:      ${setup.hostnames.join(', ')}`,
      `  passwords (one file per user):     ${Object.keys(setup.users)
        .filter((n) => user(n).passwordFile)
        .map((n) => user(n).passwordFile!)
        .join(', ')}`,
      '',
      'Start the secure broker:   npx nx run broker:serve-secure',
      'Then, in other terminals:',
      `  MQTT_BROKER_PORT=8883 MQTT_TLS=true MQTT_CA_FILE=${setup.caFile} MQTT_USERNAME=agent MQTT_PASSWORD_FILE=${user('agent').passwordFile!} npx nx serve agent`,
      `  MQTT_BROKER_PORT=8883 MQTT_TLS=true MQTT_CA_FILE=${setup.caFile} MQTT_USERNAME=viewer MQTT_PASSWORD_FILE=${user('viewer').passwordFile!} npx nx serve viewer`,
    ].join('\n'),
  );
} catch (error) {
  console.error(`setup-secure: ${(error as Error).message}`);
  process.exit(1);
}
