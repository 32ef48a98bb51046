import { exampleScan } from '@ot-mqtt/tag-model/testing';
import { describe, expect, it } from 'vitest';
import { compressPayload, detectCompression, inflatePayload } from './payload-compression.js';

describe('JSON payload compression', () => {
  const json = exampleScan()[0]!.payload;

  it('round-trips a scan through deflate and gzip, and makes it smaller', () => {
    for (const compression of ['deflate', 'gzip'] as const) {
      const bytes = compressPayload(json, compression);
      expect(detectCompression(bytes)).toBe(compression);
      expect(inflatePayload(bytes)).toBe(json);
      expect(bytes.byteLength).toBeLessThan(Buffer.byteLength(json));
    }
  });

  it('passes plain JSON through: no JSON text starts like a zlib or gzip stream', () => {
    const plain = compressPayload(json, 'none');
    expect(detectCompression(plain)).toBe('none');
    expect(inflatePayload(plain)).toBe(json);
    for (const text of [' {', '[1]', '"x"', '-1', '7', 'true', 'false', 'null', '\n{}', 'x'])
      expect(detectCompression(new TextEncoder().encode(text)), text).toBe('none');
  });

  it('stops inflating a bomb at the limit instead of taking the memory', () => {
    const bomb = compressPayload(`"${'a'.repeat(2_000_000)}"`, 'gzip');
    expect(bomb.byteLength).toBeLessThan(10_000);
    expect(() => inflatePayload(bomb, 1_000_000)).toThrow(RangeError);
  });

  it('throws, not crashes, on a corrupt stream', () => {
    const bytes = compressPayload(json, 'deflate').slice(0, 20);
    expect(() => inflatePayload(bytes)).toThrow();
  });
});
