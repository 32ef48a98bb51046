import { describe, expect, it } from 'vitest';
import { generatePassword, mosquittoPasswordLine } from './mosquitto-password.js';

describe('mosquittoPasswordLine', () => {
  it('writes the same line as mosquitto_passwd 2.0 for the same salt', () => {
    // Produced by `mosquitto_passwd -c -b pw alice secret` (Mosquitto 2.0.11).
    const expected =
      'alice:$7$101$208y/b7BPzyon3Oq$JjFYjFTj9BWitVBiUNux5TkB2hA5WsKDE6iapqOQ9AtGecfEL+ibku56FsM+J5KQgsIhCs0Lv5auTBNfR9+UOg==';
    const salt = Buffer.from('208y/b7BPzyon3Oq', 'base64');
    expect(mosquittoPasswordLine('alice', 'secret', salt)).toBe(expected);
  });

  it('never contains the password and salts every line differently', () => {
    const a = mosquittoPasswordLine('agent', 'p4ssw0rd-agent');
    const b = mosquittoPasswordLine('agent', 'p4ssw0rd-agent');
    expect(a).not.toContain('p4ssw0rd');
    expect(a).not.toBe(b);
  });

  it('refuses a user name Mosquitto could not parse', () => {
    expect(() => mosquittoPasswordLine('bad:name', 'x')).toThrow(/invalid user name/);
  });
});

describe('generatePassword', () => {
  it('gives distinct 24-character passwords without shell-special characters', () => {
    const seen = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(seen.size).toBe(50);
    for (const p of seen) expect(p).toMatch(/^[A-Za-z2-9]{24}$/);
  });
});
