import { isIP } from 'node:net';
import { z } from 'zod';

// Schemas for raw environment text. Each message says what is wrong with the value; the variable's
// `allowed` text (what would be right) is added by parseEnv, so messages stay short here.

const WHOLE = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/**
 * A whole number in `[min, max]`, digits only (no sign, no exponent, no fraction).
 *
 * @example
 * ```ts
 * import { wholeNumber } from '@ot-mqtt/app-kit';
 * wholeNumber(1, 65535).parse('1883'); // 1883
 * ```
 */
export const wholeNumber = (min: number, max: number): z.ZodType<number, string> =>
  z
    .string()
    .trim()
    .regex(WHOLE, 'not a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `below the minimum ${min}`).max(max, `above the maximum ${max}`));

/** Options of {@link seconds}. */
export interface SecondsOptions {
  /** `min` itself is not allowed (e.g. an interval must be greater than 0) (default: false). */
  readonly minExclusive?: boolean;
}

/**
 * A decimal number of seconds in `[min, max]` (`0.5`, `2`, `10.25`; no exponent, no sign).
 *
 * @example
 * ```ts
 * import { seconds } from '@ot-mqtt/app-kit';
 * seconds(0, 300).parse('2.5'); // 2.5
 * ```
 */
export const seconds = (
  min: number,
  max: number,
  { minExclusive = false }: SecondsOptions = {},
): z.ZodType<number, string> =>
  z
    .string()
    .trim()
    .regex(DECIMAL, 'not a number of seconds')
    .transform(Number)
    .pipe(
      z
        .number()
        .refine((v) => (minExclusive ? v > min : v >= min), {
          message: minExclusive ? `must be greater than ${min}` : `below the minimum ${min}`,
        })
        .refine((v) => v <= max, { message: `above the maximum ${max}` }),
    );

/**
 * One of a few words, case-insensitive (`Per-Filler` reads as `per-filler`).
 *
 * @example
 * ```ts
 * import { oneOf } from '@ot-mqtt/app-kit';
 * oneOf(['text', 'json'] as const).parse('JSON'); // 'json'
 * ```
 */
export const oneOf = <const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodType<T[number], string> =>
  z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(values, { message: `not one of ${values.join(', ')}` })) as z.ZodType<
    T[number],
    string
  >;

/**
 * One of a few numbers, written as digits (`MQTT_PROTOCOL_VERSION=5` reads as `5`).
 *
 * @example
 * ```ts
 * import { oneOfNumbers } from '@ot-mqtt/app-kit';
 * oneOfNumbers([4, 5] as const).parse('5'); // 5, typed 4 | 5
 * ```
 */
export const oneOfNumbers = <const T extends readonly [number, ...number[]]>(
  values: T,
): z.ZodType<T[number], string> =>
  oneOf(values.map(String) as [string, ...string[]]).transform(
    (v) => Number(v) as T[number],
  ) as z.ZodType<T[number], string>;

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** What {@link boolean} accepts, in words, for a variable's `allowed` text. */
export const BOOLEAN_ALLOWED = 'true or false (also 1/0, yes/no, on/off)';

/**
 * A boolean: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, case-insensitive.
 *
 * @example
 * ```ts
 * import { boolean } from '@ot-mqtt/app-kit';
 * boolean.parse('Yes'); // true
 * ```
 */
export const boolean: z.ZodType<boolean, string> = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => TRUE.includes(v) || FALSE.includes(v), { message: 'not a boolean' })
  .transform((v) => TRUE.includes(v));

/**
 * A host name (RFC 1123, `_` tolerated as Docker service names use it), an IPv4 or an IPv6
 * address (bare or in brackets). No scheme, port or path.
 *
 * @example
 * ```ts
 * import { host } from '@ot-mqtt/app-kit';
 * host.parse('broker.plant.local'); // 'broker.plant.local'
 * ```
 */
export const host: z.ZodType<string, string> = z
  .string()
  .transform((v) => v.trim())
  .refine((v) => isIP(v.replace(/^\[(.*)\]$/, '$1')) !== 0 || HOSTNAME.test(v), {
    message: 'not a host name or IP address (no scheme, port or path here: use MQTT_URL for those)',
  });

/** URL schemes an MQTT broker URL may have. */
export const BROKER_URL_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

/** Why `text` is not a usable broker URL, or `undefined` when it is one. */
export function brokerUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (!(BROKER_URL_SCHEMES as readonly string[]).includes(url.protocol))
    return `scheme ${url.protocol} is not supported`;
  if (!url.hostname) return 'no host in the URL';
  // Credentials in a URL end up in process listings, shell history and logs.
  if (url.username || url.password)
    return 'credentials in the URL are not accepted: use MQTT_USERNAME and MQTT_PASSWORD';
  return undefined;
}

/**
 * An MQTT broker URL (`mqtt://`, `mqtts://`, `ws://`, `wss://`) without credentials.
 *
 * @example
 * ```ts
 * import { brokerUrl } from '@ot-mqtt/app-kit';
 * brokerUrl.parse('ws://broker:9001'); // 'ws://broker:9001'
 * ```
 */
export const brokerUrl: z.ZodType<string, string> = z
  .string()
  .transform((v) => v.trim())
  .superRefine((v, ctx) => {
    const problem = brokerUrlProblem(v);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * One broker URL or several, comma-separated (the nodes of a cluster, tried in turn), each as
 * {@link brokerUrl} accepts it; normalised to `a,b,c` without spaces.
 *
 * @example
 * ```ts
 * import { brokerUrlList } from '@ot-mqtt/app-kit';
 * brokerUrlList.parse('mqtt://node-a:1883, mqtt://node-b:1883'); // 'mqtt://node-a:1883,mqtt://node-b:1883'
 * ```
 */
export const brokerUrlList: z.ZodType<string, string> = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((u) => u.trim())
      .join(','),
  )
  .superRefine((v, ctx) => {
    const urls = v.split(',');
    if (urls.length > 16) ctx.addIssue({ code: 'custom', message: 'at most 16 broker URLs' });
    urls.forEach((u, i) => {
      const problem = u === '' ? 'an empty entry' : brokerUrlProblem(u);
      if (problem !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: urls.length > 1 ? `entry ${i + 1} (${u || '""'}): ${problem}` : problem,
        });
    });
    const tls = new Set(urls.map((u) => /^(mqtts|wss):/i.test(u)));
    if (tls.size > 1)
      ctx.addIssue({
        code: 'custom',
        message: 'mixes TLS (mqtts://, wss://) and plain URLs: all brokers must use the same',
      });
  });

/**
 * An MQTT client id: 1-128 printable ASCII characters without spaces — every broker accepts it,
 * and it reads well in broker logs.
 *
 * @example
 * ```ts
 * import { clientId } from '@ot-mqtt/app-kit';
 * clientId.parse('ot-mqtt-agent-filler-01');
 * ```
 */
export const clientId: z.ZodType<string, string> = z
  .string()
  .max(128, 'longer than 128 characters')
  .regex(/^[\x21-\x7E]+$/, 'contains spaces or characters other than printable ASCII');

/**
 * A file path (checked for readability when the file is read, naming the variable).
 *
 * @example
 * ```ts
 * import { filePath } from '@ot-mqtt/app-kit';
 * filePath.parse('/run/secrets/mqtt-password');
 * ```
 */
export const filePath: z.ZodType<string, string> = z
  .string()
  .min(1)
  .refine((v) => !v.includes('\u0000'), { message: 'contains NUL' });

/**
 * Any text up to `max` characters (user names, passwords).
 *
 * @example
 * ```ts
 * import { text } from '@ot-mqtt/app-kit';
 * text(65535).parse('agent');
 * ```
 */
export const text = (max: number): z.ZodType<string, string> =>
  z.string().max(max, `longer than ${max} characters`);

/**
 * Text that passes a rule written as `problem(text) → why it is wrong | undefined` (trimmed first),
 * so a library's one rule (`topicRootProblem`, `machineIdProblem` of `@ot-mqtt/tag-model`) checks
 * the variable too, with the library's words in the error.
 *
 * @example
 * ```ts
 * import { textRule } from '@ot-mqtt/app-kit';
 * const even = textRule((v) => (v.length % 2 === 0 ? undefined : 'has an odd length'));
 * even.safeParse('abc').success; // false
 * ```
 */
export const textRule = (
  problem: (text: string) => string | undefined,
): z.ZodType<string, string> =>
  z
    .string()
    .transform((v) => v.trim())
    .superRefine((v, ctx) => {
      const why = problem(v);
      if (why !== undefined) ctx.addIssue({ code: 'custom', message: why });
    });
