import type { IClientOptions } from 'mqtt';
import type { GatewayConfig } from './config.js';

/**
 * The mqtt.js options every connection of the gateway shares (ingest and alarm events): login,
 * keepalive and TLS. The PEM contents were read once at start (config.ts); certificates are always
 * verified. Without `MQTT_TLS_SERVERNAME` no `servername` is set, so connect-brokers.ts checks each
 * node of a list against its own host.
 */
export function brokerOptions(
  config: Pick<GatewayConfig, 'username' | 'password' | 'keepaliveSeconds' | 'tls'>,
): IClientOptions {
  const { tls } = config;
  return {
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    keepalive: config.keepaliveSeconds,
    ...(tls === undefined
      ? {}
      : {
          rejectUnauthorized: true,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
          ...(tls.servername === undefined ? {} : { servername: tls.servername }),
        }),
  };
}
