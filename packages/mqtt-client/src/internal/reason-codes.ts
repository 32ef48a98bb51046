// MQTT 3.1.1 §3.2.2.3 (CONNACK return codes 1–5) and MQTT 5 §2.4 (reason codes). The two tables
// overlap in numbers only below 0x10, which 3.1.1 alone uses.
const V3_CONNACK: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorised',
};

const V5: Readonly<Record<number, string>> = {
  0x10: 'no matching subscribers',
  0x11: 'no subscription existed',
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorised',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8b: 'server shutting down',
  0x8c: 'bad authentication method',
  0x8d: 'keep alive timeout',
  0x8e: 'session taken over',
  0x8f: 'topic filter invalid',
  0x90: 'topic name invalid',
  0x91: 'packet identifier in use',
  0x92: 'packet identifier not found',
  0x93: 'receive maximum exceeded',
  0x94: 'topic alias invalid',
  0x95: 'packet too large',
  0x96: 'message rate too high',
  0x97: 'quota exceeded',
  0x98: 'administrative action',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9e: 'shared subscriptions not supported',
  0x9f: 'connection rate exceeded',
  0xa0: 'maximum connect time',
  0xa1: 'subscription identifiers not supported',
  0xa2: 'wildcard subscriptions not supported',
};

/** Reason/return code in words, e.g. `not authorised (return code 5)`. */
export function describeReasonCode(code: number, protocolVersion: 3 | 4 | 5): string {
  const words = (protocolVersion === 5 ? V5[code] : (V3_CONNACK[code] ?? V5[code])) ?? 'unknown';
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  return protocolVersion === 5 ? `${words} (reason code ${hex})` : `${words} (return code ${code})`;
}
