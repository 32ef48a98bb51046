/** What the OT broker host's firewall is written for. */
export interface FirewallAddresses {
  /** Interface towards the OT field network (agents, HMIs). */
  readonly cellInterface: string;
  /** Interface towards the IT network (the bridge's uplink). */
  readonly uplinkInterface: string;
  /** The IT broker the bridge connects to. */
  readonly itBroker: string;
  /** Its bridge listener (client certificates, TLS): 8884 in config/bridge/it-broker. */
  readonly bridgePort: number;
  /** Broker ports open to the field network (8883: MQTT over TLS). */
  readonly brokerPorts: readonly number[];
}

/**
 * The OT broker host's nftables ruleset: default drop in every direction; the field network may
 * open TLS connections to the broker; the broker may open exactly one kind of connection to IT —
 * the bridge's TLS connection to the IT broker's bridge port; nothing from IT may open anything
 * (replies to the bridge's own connection come back as `established`). No forwarding: the OT host
 * is not a router between IT and the field. docs/deployment.md prints this very text.
 */
export function otFirewallRules(a: FirewallAddresses): string {
  return `table inet ot_broker_host {
  chain input {
    type filter hook input priority filter; policy drop;
    iif "lo" accept
    ct state established,related accept
    ct state invalid drop
    # Field network → broker: MQTT over TLS only.
    iifname "${a.cellInterface}" tcp dport { ${a.brokerPorts.join(', ')} } ct state new accept
    # Path MTU discovery and diagnostics from the field network.
    iifname "${a.cellInterface}" icmp type { echo-request, destination-unreachable, time-exceeded } accept
    # Nothing from IT: no rule for "${a.uplinkInterface}" — dropped by the policy, no RST sent.
  }
  chain output {
    type filter hook output priority filter; policy drop;
    oif "lo" accept
    ct state established,related accept
    # The bridge: the only connection the OT side opens towards IT.
    oifname "${a.uplinkInterface}" ip daddr ${a.itBroker} tcp dport ${a.bridgePort} ct state new accept
    oifname "${a.cellInterface}" icmp type { echo-reply, destination-unreachable } accept
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
  }
}
`;
}

/** Silently drops every packet on `iface` (both directions): a black hole, no RST, no ICMP. */
export function blackHoleRules(iface: string): string {
  return `table inet netlab_black_hole {
  chain input {
    type filter hook input priority -10; policy accept;
    iifname "${iface}" drop
  }
  chain output {
    type filter hook output priority -10; policy accept;
    oifname "${iface}" drop
  }
}
`;
}

/** Drops `percent` % of the packets on `iface`, each direction independently at random. */
export function packetLossRules(iface: string, percent: number): string {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new Error(`packet loss must be a whole percentage 0-100, not ${percent}`);
  return `table inet netlab_loss {
  chain input {
    type filter hook input priority -10; policy accept;
    iifname "${iface}" numgen random mod 100 < ${percent} drop
  }
  chain output {
    type filter hook output priority -10; policy accept;
    oifname "${iface}" numgen random mod 100 < ${percent} drop
  }
}
`;
}

/** Removes a fault table added by {@link blackHoleRules} or {@link packetLossRules}. */
export const deleteTable = (name: 'netlab_black_hole' | 'netlab_loss'): string =>
  `delete table inet ${name}\n`;

/** The names docs/deployment.md writes the rules for (a test keeps the two identical). */
export const DOCUMENTED_EXAMPLE: FirewallAddresses = {
  cellInterface: 'eth-ot',
  uplinkInterface: 'eth-it',
  itBroker: '10.20.0.5',
  bridgePort: 8884,
  brokerPorts: [8883],
};
