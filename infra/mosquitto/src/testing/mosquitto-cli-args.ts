/** How a Mosquitto command-line client (`mosquitto_sub`, `mosquitto_pub`) reaches and logs into a broker. */
export interface MosquittoClientOptions {
  /** Broker URL: `mqtt://host:port` or `mqtts://host:port` (e.g. `broker.url`, `broker.mqttsUrl`). */
  readonly url: string;
  /** User name (`-u`). */
  readonly username?: string;
  /**
   * Password (`-P`). It is visible to `ps` while the client runs: fine for test secrets, never for
   * a plant's.
   */
  readonly password?: string;
  /** CA certificate to verify an `mqtts://` broker with (`--cafile`). */
  readonly caFile?: string;
  /** Client certificate and key for a certificate listener (`--cert`, `--key`). */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Client id (`-i`); default: the tool's own random one. */
  readonly clientId?: string;
  /** Protocol version (default 5: MQTT 5 also shows refusals such as `0x87 Not authorized`). */
  readonly protocol?: 3 | 5;
}

/** The connection arguments shared by `mosquitto_sub` and `mosquitto_pub`. */
export function mosquittoClientArgs(options: MosquittoClientOptions): string[] {
  const url = new URL(options.url);
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:')
    throw new Error(
      `mosquitto clients speak mqtt:// and mqtts:// only, not ${url.protocol}// (${options.url})`,
    );
  const tls = url.protocol === 'mqtts:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const args = ['-h', host, '-p', url.port || (tls ? '8883' : '1883')];
  args.push('-V', options.protocol === 3 ? 'mqttv311' : 'mqttv5');
  if (options.clientId !== undefined) args.push('-i', options.clientId);
  if (options.username !== undefined) args.push('-u', options.username);
  if (options.password !== undefined) args.push('-P', options.password);
  if (tls && options.caFile === undefined)
    throw new Error(`${options.url} is TLS: pass caFile (the CA that signed the broker)`);
  if (options.caFile !== undefined) args.push('--cafile', options.caFile);
  if (options.certFile !== undefined) args.push('--cert', options.certFile);
  if (options.keyFile !== undefined) args.push('--key', options.keyFile);
  return args;
}
