import type { Palette } from './ansi.js';

// Tokens of JSON.stringify output: strings (keys when followed by a colon), literals, numbers.
const TOKEN =
  /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Indented JSON, coloured by token type when the palette is enabled. */
export function formatJson(value: unknown, palette: Palette): string {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  if (!palette.enabled) return text;
  return text.replace(
    TOKEN,
    (match, str: string | undefined, colon: string | undefined, literal: string | undefined) => {
      if (str !== undefined) return colon ? palette.cyan(str) + colon : palette.green(str);
      if (literal !== undefined)
        return literal === 'null' ? palette.dim(literal) : palette.magenta(literal);
      return palette.yellow(match);
    },
  );
}
