import { MqttClientError } from '../mqtt-client-error.js';

/**
 * A `DROPPED` or `OUTBOX_FULL` error without a stack trace. These come one per message exactly when
 * the process is overloaded (a full outbox), and a stack would point into the outbox, not at the
 * caller's `publish`: capturing one per drop was a third of a 10,000-filler agent's CPU
 * (`--cpu-prof`), which left no time to read the PUBACKs that would have emptied the outbox.
 */
export function overloadError(code: 'DROPPED' | 'OUTBOX_FULL', message: string): MqttClientError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new MqttClientError(code, message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
