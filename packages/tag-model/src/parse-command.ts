import { CommandSchema, type Command } from './command.js';

/** A command that passed its schema. */
export interface CommandParseSuccess {
  readonly ok: true;
  readonly command: Command;
}

/** A command that did not: what was wrong, and the request id if one could be read. */
export interface CommandParseFailure {
  readonly ok: false;
  /** The problem in words, naming the field: `command: must be one of start, stop, …`. */
  readonly error: string;
  /** The payload's `requestId` when it is a usable string, so the sender can still be answered. */
  readonly requestId?: string;
}

/** Result of {@link parseCommand}. */
export type CommandParseResult = CommandParseSuccess | CommandParseFailure;

const MAX_COMMAND_BYTES = 4096;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and validates a command payload as it arrives from the broker. Never throws: bytes that
 * are not UTF-8, not JSON, too large or not a valid {@link Command} give an error naming the
 * problem, with the `requestId` when the payload has a usable one (so the sender can be told).
 *
 * @param payload - The message payload (bytes or text).
 * @returns The command, or the problem.
 *
 * @example
 * ```ts
 * import { parseCommand } from '@ot-mqtt/tag-model';
 * const result = parseCommand('{"command":"strat","requestId":"r1"}');
 * if (!result.ok) console.log(result.requestId, result.error); // r1 command: must be one of …
 * ```
 */
export function parseCommand(payload: Uint8Array | string): CommandParseResult {
  const size = typeof payload === 'string' ? payload.length : payload.byteLength;
  if (size > MAX_COMMAND_BYTES) {
    return { ok: false, error: `payload too large: ${size} bytes (at most ${MAX_COMMAND_BYTES})` };
  }
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : decoder.decode(payload);
  } catch {
    return { ok: false, error: 'payload is not UTF-8 text' };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'payload is not JSON' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      error: 'payload must be a JSON object like {"command":"start","requestId":"…"}',
    };
  }
  const result = CommandSchema.safeParse(data);
  if (result.success) return { ok: true, command: result.data };
  const raw = (data as { requestId?: unknown }).requestId;
  const requestId =
    typeof raw === 'string' && raw.length > 0 && raw.length <= 128 ? raw : undefined;
  const error = result.error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const key = issue.path[0];
      const missing =
        issue.code !== 'custom' &&
        issue.path.length === 1 &&
        typeof key === 'string' &&
        !Object.hasOwn(data, key);
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
          : missing
            ? `missing ${path}`
            : issue.message;
      return path === '' || missing ? message : `${path}: ${message}`;
    })
    .join('; ');
  return requestId === undefined ? { ok: false, error } : { ok: false, error, requestId };
}
