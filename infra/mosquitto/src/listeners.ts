/** One `listener` block of a Mosquitto configuration. */
export interface ListenerInfo {
  /** Port as written in the file. */
  readonly port: number;
  /** `mqtt` (TCP) or `websockets`. */
  readonly protocol: 'mqtt' | 'websockets';
  /** True when the block configures TLS (`certfile`) or TLS-PSK (`psk_hint`). */
  readonly tls: boolean;
}

/**
 * Reads the listener blocks of a Mosquitto configuration: in Mosquitto, `protocol`, `certfile` and
 * the other per-listener options apply to the `listener` line above them.
 *
 * @example
 * ```ts
 * parseListeners('listener 1883\nlistener 9001\nprotocol websockets\n');
 * // → [{ port: 1883, protocol: 'mqtt', tls: false }, { port: 9001, protocol: 'websockets', tls: false }]
 * ```
 */
export function parseListeners(text: string): ListenerInfo[] {
  const listeners: { port: number; protocol: 'mqtt' | 'websockets'; tls: boolean }[] = [];
  for (const raw of text.split('\n')) {
    const [key = '', value = ''] = raw.trim().split(/\s+/);
    const current = listeners[listeners.length - 1];
    if (key === 'listener') listeners.push({ port: Number(value), protocol: 'mqtt', tls: false });
    else if (key === 'protocol' && current)
      current.protocol = value === 'websockets' ? 'websockets' : 'mqtt';
    else if ((key === 'certfile' || key === 'psk_hint') && current) current.tls = true;
  }
  return listeners;
}

/** URL scheme a client uses for a listener: `mqtt`, `mqtts`, `ws` or `wss`. */
export function schemeOf(listener: ListenerInfo): 'mqtt' | 'mqtts' | 'ws' | 'wss' {
  if (listener.protocol === 'websockets') return listener.tls ? 'wss' : 'ws';
  return listener.tls ? 'mqtts' : 'mqtt';
}
