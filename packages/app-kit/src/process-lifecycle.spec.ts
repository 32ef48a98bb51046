import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { exitOnConfigErrors } from './exit-on-config-errors.js';
import { installGracefulShutdown, type ShutdownProcess } from './graceful-shutdown.js';
import { createLogger } from './logger.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const proc: ShutdownProcess = {
    on: (event, listener) => emitter.on(event, listener),
    exit: (code) => void exits.push(code),
  };
  return { emitter, exits, proc };
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { lines, logger };
}

describe('exitOnConfigErrors', () => {
  it('prints every error with the app name and exits 2; does nothing without errors', () => {
    const lines: string[] = [];
    const exits: number[] = [];
    const io = { error: (l: string) => lines.push(l), exit: (c: number) => void exits.push(c) };
    exitOnConfigErrors('demo', [], io);
    expect(exits).toEqual([]);
    exitOnConfigErrors('demo', [{ variable: 'A', message: 'Invalid A="x": no.' }, 'bad arg'], io);
    expect(lines.slice(0, 2)).toEqual(['demo: Invalid A="x": no.', 'demo: bad arg']);
    expect(lines[2]).toContain('see --help');
    expect(exits).toEqual([2]);
  });
});

describe('installGracefulShutdown', () => {
  it('stops once on SIGTERM and exits 0 after stop resolves', async () => {
    const { emitter, exits, proc } = fakeProcess();
    const { lines, logger } = capture();
    const stop = vi.fn(async () => undefined);
    const shutdown = installGracefulShutdown({ logger, stop, process: proc, fields: { t: 5 } });
    expect(shutdown.stopping).toBe(false);
    emitter.emit('SIGTERM');
    expect(shutdown.stopping).toBe(true);
    await vi.waitFor(() => expect(exits).toEqual([0]));
    expect(stop).toHaveBeenCalledOnce();
    expect(lines.join('\n')).toMatch(/SIGTERM received: stopping t=5\n.*INFO {2}stopped/);
  });

  it('exits 130 at once on a second signal, and 1 when stop fails', async () => {
    const { emitter, exits, proc } = fakeProcess();
    const { logger } = capture();
    installGracefulShutdown({
      logger,
      stop: () => Promise.reject(new Error('boom')),
      process: proc,
    });
    emitter.emit('SIGINT');
    emitter.emit('SIGINT');
    expect(exits[0]).toBe(130);
    await vi.waitFor(() => expect(exits).toEqual([130, 1]));
  });

  it('logs an uncaught exception in the app format and exits 1', () => {
    const { emitter, exits, proc } = fakeProcess();
    const { lines, logger } = capture();
    installGracefulShutdown({ logger, stop: async () => undefined, process: proc });
    emitter.emit('uncaughtException', new Error('bug'));
    expect(exits).toEqual([1]);
    expect(lines[0]).toMatch(/ERROR unexpected error reason=bug/);
  });
});
