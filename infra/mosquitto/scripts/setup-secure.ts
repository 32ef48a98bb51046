// `npx nx run broker:setup-secure [-- --hostname mqtt.plant.local --hostname 10.0.0.5 --force]`
// One command to a working secure broker: development CA, certificates, passwords, password file.
import { join } from 'node:path';
import {
  DEFAULT_SECRETS_DIR,
  DOCKER_BROKER_GID,
  setupSecure,
} from '../src/security/setup-secure.js';
import { scriptArgs } from './script-args.js';

const HELP = `Creates the secrets of the production (secure) broker profile, for development and tests:
a development CA, a server certificate, client certificates (agent, viewer, dashboard, operator,
broker-metrics, ot-bridge, and one per --machine), a random password per user and the Mosquitto
password file. Existing files are kept. Two folders:
  <dir>/broker/   what the broker reads, nothing else: ca.crt server.crt server.key passwd
                  ot-bridge.crt ot-bridge.key — mount this on /mosquitto/config/certs
                  (as root: group ${DOCKER_BROKER_GID}, the Docker image's broker, may read it)
  <dir>/clients/  client keys and certificates, plain passwords, the CA key — never mounted

Usage: npx nx run broker:setup-secure [-- options]
  --hostname <name|ip>   extra DNS name or IP address of the broker for its certificate
                         (repeatable; always included: localhost, 127.0.0.1, ::1, this host's name)
  --machine <id>         a machine identity (user name = machine id, may write only
                         plc/bottlefiller/<id>/...; repeatable)
  --broker-gid <gid>     group that may read broker/ (default ${DOCKER_BROKER_GID}; needs root or membership)
  --dir <path>           where to write (default: ${DEFAULT_SECRETS_DIR}, gitignored)
  --force                throw away what exists (new CA: clients must trust the new ca.crt)
  --help                 this text

A plant brings its own CA and certificates instead: see docs/security.md.
`;

const values = scriptArgs('setup-secure', HELP, {
  hostname: { type: 'string', multiple: true },
  machine: { type: 'string', multiple: true },
  'broker-gid': { type: 'string' },
  dir: { type: 'string' },
  force: { type: 'boolean' },
});

const brokerGid = values['broker-gid'] === undefined ? undefined : Number(values['broker-gid']);
if (brokerGid !== undefined && (!Number.isInteger(brokerGid) || brokerGid < 0)) {
  console.error(
    `setup-secure: --broker-gid ${values['broker-gid']} is not a group id (an integer ≥ 0)`,
  );
  process.exit(2);
}

try {
  const setup = await setupSecure({
    ...(values.dir ? { dir: values.dir } : {}),
    ...(brokerGid === undefined ? {} : { brokerGid }),
    hostnames: values.hostname ?? [],
    machines: values.machine ?? [],
    force: values.force ?? false,
  });
  const user = (name: string) => setup.users[name]!;
  // Absolute paths: the apps run with their own folder as working directory.
  console.log(
    [
      `setup-secure: secrets in ${setup.dir} — private: never commit, copy or mail them.`,
      `  broker folder (mount on /mosquitto/config/certs): ${setup.brokerDir}`,
      `  clients folder (client keys, passwords, CA key — never give it to the broker): ${setup.clientsDir}`,
      setup.created.length > 0
        ? `  created: ${setup.created.join(', ')}`
        : '  nothing new: everything already existed (use --force to start over)',
      `  CA certificate (clients trust it): ${setup.caFile}`,
      `  server certificate valid for:      ${setup.hostnames.join(', ')}`,
      `  passwords (one file per user):     ${Object.keys(setup.users)
        .filter((n) => user(n).passwordFile)
        .map((n) => user(n).passwordFile!)
        .join(', ')}`,
      ...setup.warnings.map((w) => `  WARNING: ${w}`),
      '',
      'Start the secure broker:   npx nx run broker:serve-secure',
      'Then, in other terminals:',
      `  MQTT_BROKER_PORT=8883 MQTT_TLS=true MQTT_CA_FILE=${setup.caFile} MQTT_USERNAME=agent MQTT_PASSWORD_FILE=${user('agent').passwordFile!} npx nx serve agent`,
      `  MQTT_BROKER_PORT=8883 MQTT_TLS=true MQTT_CA_FILE=${setup.caFile} MQTT_USERNAME=viewer MQTT_PASSWORD_FILE=${user('viewer').passwordFile!} npx nx serve viewer`,
      // The agent fills in {machineId} per filler connection: the ids must be the ones it numbers
      // (filler-0001 … with FILLER_COUNT, or <MACHINE_ID>-0001 …).
      ...(values.machine?.length
        ? [
            `  per-filler fleet, one identity per machine (ids as the agent numbers them, e.g. --machine filler-0001 --machine filler-0002):`,
            `  MQTT_BROKER_PORT=8883 MQTT_TLS=true MQTT_CA_FILE=${setup.caFile} CONNECTION_MODE=per-filler FILLER_COUNT=${values.machine.length} MQTT_USERNAME='{machineId}' MQTT_PASSWORD_FILE='${join(setup.clientsDir, '{machineId}.password')}' npx nx serve agent`,
          ]
        : []),
    ].join('\n'),
  );
} catch (error) {
  console.error(`setup-secure: ${(error as Error).message}`);
  process.exit(1);
}
