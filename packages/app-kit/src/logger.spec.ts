import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger({
    now: () => new Date('2025-03-01T08:30:00.123Z'),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ...options,
  });
  return { logger, out, err };
}

describe('logger', () => {
  it('prefixes every line with an ISO-8601 UTC timestamp and the level', () => {
    const { logger, out } = capture();
    logger.info('connected', { url: 'mqtt://localhost:1883', sessionPresent: false });
    expect(out).toEqual([
      '2025-03-01T08:30:00.123Z INFO  connected url=mqtt://localhost:1883 sessionPresent=false',
    ]);
  });

  it('quotes values with spaces so a line stays machine-splittable', () => {
    const { logger, err } = capture();
    logger.warn('connection lost', { reason: 'connection reset by peer' });
    expect(err).toEqual([
      '2025-03-01T08:30:00.123Z WARN  connection lost reason="connection reset by peer"',
    ]);
  });

  it('escapes control characters from the network (an ANSI escape in a topic stays text)', () => {
    const { logger, out } = capture();
    logger.info('message', { topic: 'plc/\u001b[31mred', machineId: 'filler-01' });
    expect(out).toEqual([
      '2025-03-01T08:30:00.123Z INFO  message topic="plc/\\u001b[31mred" machineId=filler-01',
    ]);
  });

  it('drops lines below the configured level', () => {
    const { logger, out, err } = capture({ level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(out).toEqual([]);
    expect(err.map((l) => l.split(' ')[1])).toEqual(['WARN', 'ERROR']);
  });

  it('writes one JSON object per line in json format', () => {
    const { logger, out } = capture({ format: 'json', level: 'debug' });
    logger.debug('scan', { sequence: 7, skipped: undefined });
    expect(JSON.parse(out[0]!)).toEqual({
      time: '2025-03-01T08:30:00.123Z',
      level: 'debug',
      msg: 'scan',
      sequence: 7,
    });
  });
});
