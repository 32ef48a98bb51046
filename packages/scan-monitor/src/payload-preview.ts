const PREVIEW_CHARS = 60;
const HEX_BYTES = 16;

/**
 * A short, printable beginning of a payload for error reports: the text as a JSON string literal
 * (quotes and escapes show exactly what was sent) when it is text, else the first bytes in hex.
 * @internal
 */
export function payloadPreview(payload: Uint8Array, text: string | undefined): string {
  if (text === undefined) {
    let hex = '';
    for (const byte of payload.subarray(0, HEX_BYTES)) hex += byte.toString(16).padStart(2, '0');
    return `hex ${hex}${payload.byteLength > HEX_BYTES ? '…' : ''}`;
  }
  const head = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return JSON.stringify(head);
}

// Up to 4 bytes per character: enough bytes for the preview of an oversized payload.
/** @internal */
export const PREVIEW_BYTES = PREVIEW_CHARS * 4;
