import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The alarm server's and OEE's variables (issue 12), kept beside config.ts so that file only
// splices them in: same EnvVar shape, same error wording.

/** Settings of the alarm server and the OEE endpoint. */
export interface AlarmSettings {
  /** Bearer token that may acknowledge alarms (never printed), or undefined: acknowledging is off. */
  readonly operatorToken: string | undefined;
  /** Shift start, `HH:MM` local time. */
  readonly shiftStart: string;
  /** Shift length in hours (divides 24). */
  readonly shiftHours: number;
  /** Local time's offset from UTC in minutes. */
  readonly shiftUtcOffsetMinutes: number;
  /** Ideal rate of a filler in bottles per minute (OEE performance). */
  readonly idealRatePerMinute: number;
}

/**
 * Design rate of the simulated filler: a 0.5 L bottle at 12 L/min (2.4 s) plus one conveyor index
 * of 0.25 m at 0.2 m/s (1.25 s) is ~3.6 s per bottle; measured, a seeded filler never fills more
 * than 16 bottles in a minute.
 */
export const DEFAULT_IDEAL_RATE = 16;

const tokenText = z
  .string()
  // eslint-disable-next-line no-control-regex -- control characters never belong in a token
  .refine((s) => !/[\u0000-\u001f]/u.test(s), 'contains control characters')
  .refine((s) => s.length >= 16, 'shorter than 16 characters');

/** The variables, in `--help` order (spliced into the gateway's list). */
export const ALARM_ENV_VARS = [
  {
    name: 'GATEWAY_OPERATOR_TOKEN',
    default: '(none: acknowledging alarms is disabled)',
    allowed: 'at least 16 characters, different from GATEWAY_TOKEN',
    description:
      'Bearer token of operators: POST /api/alarms/{machineId}/{alarm}/ack needs it (never printed; prefer GATEWAY_OPERATOR_TOKEN_FILE).',
    secret: true,
    schema: tokenText,
  },
  {
    name: 'GATEWAY_OPERATOR_TOKEN_FILE',
    default: '(none)',
    allowed: 'a readable file whose first line is the operator token (at least 16 characters)',
    description: 'File holding the operator token.',
    schema: z.string().refine((p) => {
      try {
        readFileSync(p);
        return true;
      } catch {
        return false;
      }
    }, 'not a readable file'),
  },
  {
    name: 'GATEWAY_SHIFT_START',
    default: '06:00',
    allowed: 'a time of day HH:MM (00:00-23:59)',
    description:
      'Start of a shift (local time, see GATEWAY_SHIFT_UTC_OFFSET): the OEE "current shift".',
    schema: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/u, 'not HH:MM'),
  },
  {
    name: 'GATEWAY_SHIFT_HOURS',
    default: '8',
    allowed: '1, 2, 3, 4, 6, 8, 12 or 24',
    description: 'Shift length in hours (shifts repeat from GATEWAY_SHIFT_START).',
    schema: z.enum(['1', '2', '3', '4', '6', '8', '12', '24']).transform(Number),
  },
  {
    name: 'GATEWAY_SHIFT_UTC_OFFSET',
    default: '0',
    allowed: 'whole minutes from -720 to 840 (e.g. 60 for CET)',
    description: "Offset of the plant's local time from UTC, for the shift start.",
    schema: z
      .string()
      .regex(/^-?\d+$/u, 'not a whole number')
      .transform(Number)
      .pipe(z.number().min(-720, 'below the minimum -720').max(840, 'above the maximum 840')),
  },
  {
    name: 'GATEWAY_OEE_IDEAL_RATE',
    default: String(DEFAULT_IDEAL_RATE),
    allowed: 'bottles per minute, a number greater than 0 and at most 100000',
    description:
      "A filler's ideal rate, the OEE performance reference (the simulator's design rate).",
    schema: z
      .string()
      .regex(/^(?:\d+(?:\.\d*)?|\.\d+)$/u, 'not a number')
      .transform(Number)
      .pipe(z.number().gt(0, 'not greater than 0').max(100_000, 'above the maximum 100000')),
  },
] as const;

/** Name of one of {@link ALARM_ENV_VARS}. */
type AlarmVarName = (typeof ALARM_ENV_VARS)[number]['name'];

/**
 * Builds the alarm settings from the parsed variables, adding to `errors` what only shows once
 * they are read together (a short token in the file, an operator token equal to the read token).
 */
export function alarmSettings(
  get: (name: AlarmVarName) => unknown,
  readToken: string | undefined,
  errors: string[],
): AlarmSettings {
  let operatorToken = get('GATEWAY_OPERATOR_TOKEN') as string | undefined;
  const file = get('GATEWAY_OPERATOR_TOKEN_FILE') as string | undefined;
  if (file !== undefined) {
    operatorToken = (readFileSync(file, 'utf8').split(/\r?\n/u)[0] ?? '').trim();
    if (operatorToken.length < 16)
      errors.push(
        'GATEWAY_OPERATOR_TOKEN_FILE holds a token shorter than 16 characters: expected a readable file whose first line is the operator token (at least 16 characters)',
      );
  }
  if (operatorToken !== undefined && operatorToken === readToken)
    errors.push(
      'GATEWAY_OPERATOR_TOKEN is the same as GATEWAY_TOKEN: expected a different token (readers must not acknowledge)',
    );
  return {
    operatorToken,
    shiftStart: (get('GATEWAY_SHIFT_START') as string | undefined) ?? '06:00',
    shiftHours: (get('GATEWAY_SHIFT_HOURS') as number | undefined) ?? 8,
    shiftUtcOffsetMinutes: (get('GATEWAY_SHIFT_UTC_OFFSET') as number | undefined) ?? 0,
    idealRatePerMinute: (get('GATEWAY_OEE_IDEAL_RATE') as number | undefined) ?? DEFAULT_IDEAL_RATE,
  };
}
