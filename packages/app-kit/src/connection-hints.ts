import type { MqttClientErrorCode } from '@ot-mqtt/mqtt-client';

/**
 * What to check for each way a connection fails, in the words of the variables the user sets: a
 * refused connection must say why and what to do, not just print a return code. One table for
 * every app, so the agent, the viewer and the gateway give the same advice.
 */
export const CONNECTION_HINTS: Readonly<Partial<Record<MqttClientErrorCode, string>>> = {
  CONNECTION_REFUSED:
    'nothing accepts connections there: is the broker running, and are MQTT_BROKER_HOST/MQTT_BROKER_PORT (or MQTT_URL) right?',
  HOST_NOT_FOUND: 'the host name does not resolve: check MQTT_BROKER_HOST (or MQTT_URL) and DNS',
  CONNECT_TIMEOUT:
    'no answer in time: check firewalls between this app and the broker, and that the port speaks MQTT (not WebSockets or TLS)',
  TLS_ERROR:
    'TLS handshake failed: check MQTT_CA_FILE (the CA that signed the broker certificate) and MQTT_TLS_SERVERNAME (the name in the certificate), and the client certificate',
  BAD_CREDENTIALS:
    'the broker refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD(_FILE)',
  // Mosquitto 2.0 answers a wrong password, an unknown user and a missing user name alike with
  // "not authorised" (3.1.1 return code 5), never "bad user name or password" (docs/security.md):
  // the password is the likeliest cause, so it is named first.
  NOT_AUTHORIZED:
    'the broker refuses this user: check the password first (MQTT_PASSWORD or the first line of MQTT_PASSWORD_FILE; Mosquitto answers a wrong password with "not authorised"), then MQTT_USERNAME, the client certificate and the ACL',
  SESSION_TAKEN_OVER:
    'another client connected with the same MQTT_CLIENT_ID: give every client its own client id',
  // MQTT 3.1.1 brokers just drop the older of two connections with one client id, without a reason.
  CONNECTION_LOST:
    'if this repeats every few seconds, another client may be using the same MQTT_CLIENT_ID; otherwise check the broker log and the network',
  KEEPALIVE_TIMEOUT: 'the broker stopped answering (half-open connection): check the network path',
  SUBSCRIBE_REJECTED: "the broker's ACL does not allow reading this filter",
  PUBLISH_REJECTED: "the broker's ACL does not allow writing this topic",
};

/**
 * The hint for an error code, or `undefined` when there is nothing useful to add.
 *
 * @example
 * ```ts
 * import { connectionHint } from '@ot-mqtt/app-kit';
 *
 * connectionHint('NOT_AUTHORIZED'); // 'the broker refuses this user: check the password first …'
 * ```
 */
export function connectionHint(code: MqttClientErrorCode): string | undefined {
  return CONNECTION_HINTS[code];
}
