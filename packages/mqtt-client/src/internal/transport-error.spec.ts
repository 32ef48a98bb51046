import { describe, expect, it } from 'vitest';
import { isTransportError } from './transport-error.js';

// mqtt.js's ErrorWithReasonCode (not exported) is an Error with a numeric `code`.
const withCode = (message: string, code: unknown) => Object.assign(new Error(message), { code });

describe('isTransportError: which failed publishes are the connection’s, not a refusal', () => {
  it.each([
    ['a socket error (EPIPE)', withCode('write EPIPE', 'EPIPE')],
    ['a socket error (ECONNRESET)', withCode('read ECONNRESET', 'ECONNRESET')],
    ['mqtt.js flushing what it held at close', new Error('Connection closed')],
    ['mqtt.js refusing a write once end() began', new Error('client disconnecting')],
    ['mqtt.js withdrawing it (removeOutgoingMessage)', new Error('Message removed')],
    ['mqtt.js offline', new Error('No connection to broker')],
  ])('%s is a transport error: the message is kept and written again', (_, error) => {
    expect(isTransportError(error)).toBe(true);
  });

  it.each([
    ['a negative PUBACK (0x87 not authorised)', withCode('Publish error: Not authorized', 0x87)],
    ['a negative PUBACK (0x97 quota exceeded)', withCode('Publish error: Quota exceeded', 0x97)],
    ['a local refusal (topic alias)', new Error('Unregistered Topic Alias')],
    ['a reason code that merely mentions a closed connection', withCode('Connection closed', 0x80)],
  ])('%s is a refusal: the message fails', (_, error) => {
    expect(isTransportError(error)).toBe(false);
  });
});
