import { envVar, filePath, textRule, wholeNumber, type ParsedEnv } from '@ot-mqtt/app-kit';
import { z } from 'zod';
import { firstLineOf } from './first-line-of.js';

// The alarm server's and OEE's variables (issue 12), kept beside config.ts so that file only
// splices them in.

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

/** Why a bearer token (read or operator) is unusable, or `undefined`. */
export function tokenProblem(token: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters never belong in a token
  if (/[\u0000-\u001f]/u.test(token)) return 'contains control characters';
  return token.length < 16 ? 'shorter than 16 characters' : undefined;
}

/** The variables, in `--help` order (spliced into the gateway's list). */
export const ALARM_ENV = [
  envVar({
    name: 'GATEWAY_OPERATOR_TOKEN',
    group: 'Alarms and OEE',
    description:
      'Bearer token of operators: POST /api/alarms/{machineId}/{alarm}/ack needs it (never printed; prefer GATEWAY_OPERATOR_TOKEN_FILE).',
    allowed: 'at least 16 characters, different from GATEWAY_TOKEN',
    secret: true,
    schema: textRule(tokenProblem),
    defaultText: '(none: acknowledging alarms is disabled)',
  }),
  envVar({
    name: 'GATEWAY_OPERATOR_TOKEN_FILE',
    group: 'Alarms and OEE',
    description: 'File holding the operator token.',
    allowed: 'a readable file whose first line is the operator token (at least 16 characters)',
    schema: filePath,
    defaultText: '(none)',
  }),
  envVar({
    name: 'GATEWAY_SHIFT_START',
    group: 'Alarms and OEE',
    description:
      'Start of a shift (local time, see GATEWAY_SHIFT_UTC_OFFSET): the OEE "current shift".',
    allowed: 'a time of day HH:MM (00:00-23:59)',
    schema: z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/u, 'not HH:MM'),
    default: '06:00',
  }),
  envVar({
    name: 'GATEWAY_SHIFT_HOURS',
    group: 'Alarms and OEE',
    description: 'Shift length in hours (shifts repeat from GATEWAY_SHIFT_START).',
    allowed: '1, 2, 3, 4, 6, 8, 12 or 24',
    schema: wholeNumber(1, 24).refine((h) => 24 % h === 0, 'does not divide 24'),
    default: 8,
  }),
  envVar({
    name: 'GATEWAY_SHIFT_UTC_OFFSET',
    group: 'Alarms and OEE',
    description: "Offset of the plant's local time from UTC, for the shift start.",
    allowed: 'whole minutes from -720 to 840 (e.g. 60 for CET)',
    schema: z
      .string()
      .trim()
      .regex(/^-?\d+$/u, 'not a whole number')
      .transform(Number)
      .pipe(z.number().min(-720, 'below the minimum -720').max(840, 'above the maximum 840')),
    default: 0,
  }),
  envVar({
    name: 'GATEWAY_OEE_IDEAL_RATE',
    group: 'Alarms and OEE',
    description:
      "A filler's ideal rate, the OEE performance reference (the simulator's design rate).",
    allowed: 'bottles per minute, a number greater than 0 and at most 100000',
    schema: z
      .string()
      .trim()
      .regex(/^(?:\d+(?:\.\d*)?|\.\d+)$/u, 'not a number')
      .transform(Number)
      .pipe(z.number().gt(0, 'not greater than 0').max(100_000, 'above the maximum 100000')),
    default: DEFAULT_IDEAL_RATE,
  }),
] as const;

/**
 * Builds the alarm settings from the parsed variables, recording on `parsed` what only shows once
 * they are read together (a bad token in the file, an operator token equal to the read token).
 */
export function alarmSettings(
  parsed: ParsedEnv<typeof ALARM_ENV>,
  readToken: string | undefined,
): AlarmSettings {
  const { values: v } = parsed;
  let operatorToken = v.GATEWAY_OPERATOR_TOKEN;
  const fromFile = firstLineOf(parsed, 'GATEWAY_OPERATOR_TOKEN_FILE');
  if (fromFile !== undefined) {
    operatorToken = fromFile;
    const why = tokenProblem(fromFile);
    if (why !== undefined)
      parsed.fail('GATEWAY_OPERATOR_TOKEN_FILE', `the file's first line: ${why}`);
  }
  if (operatorToken !== undefined && operatorToken === readToken)
    parsed.fail(
      'GATEWAY_OPERATOR_TOKEN',
      'is the same as GATEWAY_TOKEN (readers must not acknowledge)',
    );
  return {
    operatorToken,
    shiftStart: v.GATEWAY_SHIFT_START,
    shiftHours: v.GATEWAY_SHIFT_HOURS,
    shiftUtcOffsetMinutes: v.GATEWAY_SHIFT_UTC_OFFSET,
    idealRatePerMinute: v.GATEWAY_OEE_IDEAL_RATE,
  };
}
