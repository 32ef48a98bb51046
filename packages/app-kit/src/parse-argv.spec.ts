import { describe, expect, it } from 'vitest';
import { parseArgv } from './parse-argv.js';

describe('parseArgv', () => {
  it('answers --help and -h whatever else is given', () => {
    expect(parseArgv(['--help']).help).toBe(true);
    expect(parseArgv(['-h', '--nope']).help).toBe(true);
    expect(parseArgv([]).help).toBe(false);
  });

  it("returns the app's own flags in order", () => {
    expect(parseArgv(['--ndjson', '--pretty'], ['pretty', 'ndjson'] as const).flags).toEqual([
      'ndjson',
      'pretty',
    ]);
  });

  it('names every unknown argument as typed, with what is allowed', () => {
    const { errors } = parseArgv(['--interval=1', 'extra', '--pretty=yes'], ['pretty'] as const);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain(
      'unknown argument "--interval=1": allowed are --help, -h, --pretty',
    );
    expect(errors[1]).toContain('unknown argument "extra"');
    expect(errors[2]).toContain('unknown argument "--pretty=yes"');
  });
});
