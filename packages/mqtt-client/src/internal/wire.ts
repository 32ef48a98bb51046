/** UTF-8 length of a string without allocating (hot path: every publish). */
export function utf8Length(text: string): number {
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

interface BufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
  isBuffer(value: unknown): boolean;
}

/**
 * mqtt.js's packet writer wants a Node Buffer (or a string). In Node we wrap the caller's bytes
 * without copying; browsers have no global Buffer and mqtt.js's bundle accepts the Uint8Array.
 */
export function toWire(payload: string | Uint8Array): string | Uint8Array {
  if (typeof payload === 'string') return payload;
  const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;
  if (!NodeBuffer || NodeBuffer.isBuffer(payload)) return payload;
  return NodeBuffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}
