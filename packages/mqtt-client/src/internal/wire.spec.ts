import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toWire, utf8Length } from './wire.js';

describe('wire helpers', () => {
  it('utf8Length equals the encoded length, short (JS loop) and long (native count) alike', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        return utf8Length(text) === encoder.encode(text).length;
      }),
      { numRuns: 500 },
    );
    expect(utf8Length('€'.repeat(40))).toBe(120);
  });

  it('wraps a Uint8Array as a Buffer over the same bytes (no copy)', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const wire = toWire(bytes);
    expect(Buffer.isBuffer(wire)).toBe(true);
    expect((wire as Buffer).buffer).toBe(bytes.buffer);
    expect([...(wire as Buffer)]).toEqual([2, 3]);
  });
});
