/**
 * Hands each complete line of a child's output to `onLine` as it streams (UTF-8; the last line
 * without a newline too, when the stream ends) — what every test that watches a process's output
 * needs, written once.
 *
 * @example
 * ```ts
 * import { spawn } from 'node:child_process';
 * import { collectLines } from '@ot-mqtt/broker/testing';
 *
 * const child = spawn('mosquitto', ['-h'], { stdio: ['ignore', 'pipe', 'pipe'] });
 * const lines: string[] = [];
 * collectLines(child.stdout, (line) => lines.push(line));
 * ```
 */
export function collectLines(
  stream: NodeJS.ReadableStream | null | undefined,
  onLine: (line: string) => void,
): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  });
  stream.on('end', () => {
    if (rest !== '') onLine(rest);
    rest = '';
  });
}
