import { describe, expect, it } from 'vitest';
import { escapeControl, escapeJsonControl } from './escape-control.js';

// eslint-disable-next-line no-control-regex -- the test looks for raw control characters
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

describe('escaping wire text for a terminal', () => {
  it.each([
    ['clear screen', 'tags.\u001b[2J', 'tags.\\x1b[2J'],
    ['OSC window title', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    [
      'carriage return forging a line',
      'key\r2025-01-01 INFO all fine',
      'key\\r2025-01-01 INFO all fine',
    ],
    ['newline', 'a\nb', 'a\\nb'],
    ['C1 CSI', 'a\u009b2J', 'a\\x9b2J'],
    ['bidi override', 'abc\u202edcb', 'abc\\u202edcb'],
  ])('%s', (_name, input, expected) => {
    const out = escapeControl(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(RAW_CONTROL);
  });

  it('leaves printable text, non-ASCII letters included, as it is', () => {
    expect(escapeControl('Füllstand 63 % — 充填')).toBe('Füllstand 63 % — 充填');
  });

  it('keeps JSON valid and its value unchanged while escaping what JSON.stringify leaves raw', () => {
    const value = { 'k\u009b2J': 'v\u007f\u2028\u202e', esc: '\u001b[2J' };
    const line = escapeJsonControl(JSON.stringify(value));
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).not.toMatch(/[\u2028\u202e]/u);
    expect(JSON.parse(line)).toEqual(value);
  });
});
