import { envVar } from './env-var.js';
import { oneOf } from './env-schemas.js';
import { LOG_LEVELS } from './logger.js';

/** `LOG_LEVEL`: least severe level logged (default `info`). */
export const LOG_LEVEL = envVar({
  name: 'LOG_LEVEL',
  group: 'Logging',
  description: 'Least severe level logged.',
  allowed: 'error, warn, info or debug',
  schema: oneOf(LOG_LEVELS),
  default: 'info' as const,
});

/** `LOG_FORMAT`: `text` for people, `json` for log shippers (default `text`). */
export const LOG_FORMAT = envVar({
  name: 'LOG_FORMAT',
  group: 'Logging',
  description: 'text: ISO timestamp, level, message; json: one JSON object per line.',
  allowed: 'text or json',
  schema: oneOf(['text', 'json'] as const),
  default: 'text' as const,
});
