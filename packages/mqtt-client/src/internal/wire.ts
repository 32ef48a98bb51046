interface BufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
  isBuffer(value: unknown): boolean;
  byteLength(text: string, encoding: 'utf8'): number;
}

// Node's Buffer when there is one (looked up once: `globalThis` lookups are not free per message);
// browsers have none and get the plain-JS paths.
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/** Above this many UTF-16 units Node's native count beats the JS loop. */
const NATIVE_COUNT_FROM = 32;

/** UTF-8 length of a string without allocating (hot path: every publish). */
export function utf8Length(text: string): number {
  if (NodeBuffer && text.length >= NATIVE_COUNT_FROM) return NodeBuffer.byteLength(text, 'utf8');
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * mqtt.js's packet writer wants a Node Buffer (or a string). In Node we wrap the caller's bytes
 * without copying; browsers have no global Buffer and mqtt.js's bundle accepts the Uint8Array.
 */
export function toWire(payload: string | Uint8Array): string | Uint8Array {
  if (typeof payload === 'string') return payload;
  if (!NodeBuffer || NodeBuffer.isBuffer(payload)) return payload;
  return NodeBuffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}
