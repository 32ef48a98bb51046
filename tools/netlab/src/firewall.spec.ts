import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_EXAMPLE, otFirewallRules, packetLossRules } from './firewall.js';

const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs');

describe('the OT firewall rules', () => {
  it('docs/deployment.md shows, for copy and paste, exactly the rules the lab applies', async () => {
    const doc = await readFile(join(DOCS, 'deployment.md'), 'utf8');
    expect(doc).toContain(otFirewallRules(DOCUMENTED_EXAMPLE));
  });

  it('lets the field network in on the TLS port only and the broker out to the IT bridge port only', () => {
    const rules = otFirewallRules(DOCUMENTED_EXAMPLE);
    expect(rules).toMatch(/policy drop;[\s\S]*policy drop;[\s\S]*policy drop;/);
    expect(rules).toContain('iifname "eth-ot" tcp dport { 8883 } ct state new accept');
    expect(rules).toContain(
      'oifname "eth-it" ip daddr 10.20.0.5 tcp dport 8884 ct state new accept',
    );
    expect(rules).not.toMatch(/iifname "eth-it"[^\n]*accept/);
  });

  it('refuses a loss rate that is not a whole percentage', () => {
    expect(() => packetLossRules('x', 5.5)).toThrow(/whole percentage/);
    expect(packetLossRules('x', 20)).toContain('numgen random mod 100 < 20 drop');
  });
});
