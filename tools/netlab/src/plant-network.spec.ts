import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { startMosquittoSub, type MosquittoSub } from '@ot-mqtt/broker/testing';
import type { SecureMosquitto, SecureSetup } from '@ot-mqtt/broker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blackHoleRules, deleteTable, packetLossRules } from './firewall.js';
import { ADDRESSES, createNetlab, netlabUnavailable, nft, type Netlab } from './netlab.js';
import {
  AGENT_MAIN,
  fleetMachineIds,
  labSecrets,
  startFleet,
  startItBroker,
  startOtBroker,
  type LabProcess,
} from './plant.test-helper.js';
import { percentile, ScanLedger } from './scan-ledger.test-helper.js';

// Issue 18: the plant's network in namespaces (see netlab.ts for the picture), real Mosquitto
// brokers with the shipped production profile and bridge file, the built agent as a 100-filler
// fleet, and link faults. One lab for the file, scenarios in order; every scenario ends by
// checking that the IT side has every scan of every machine, by sequence. The file runs ~5 min:
// the issue fixes the fault durations (30 s cut, 60 s of loss at each of two rates).

const unavailable = await netlabUnavailable();
if (unavailable) console.warn(`tools/netlab skipped: ${unavailable}`);
const FLEET = 100;
const MACHINES = fleetMachineIds(FLEET);
/** Keepalive of the agent and (in the lab) of the bridge: the black-hole detection bound is 1.5×. */
const KEEPALIVE_S = 10;
const figures: string[] = [];
const say = (line: string) => {
  figures.push(line);
  console.log(`netlab: ${line}`);
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(0)}`;
const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)); // a fault's duration, not a wait for a condition

describe.skipIf(unavailable !== undefined)('the plant network in a box (issue 18)', () => {
  let lab: Netlab;
  let secrets: SecureSetup;
  let ot: SecureMosquitto;
  let it$: SecureMosquitto;
  let itSub: MosquittoSub;
  let bridgeState: MosquittoSub;
  let fleet: LabProcess;
  const ledger = new ScanLedger();
  /** Latencies with no fault, measured in the first scenario (the baseline of the loss figures). */
  let baseline: number[] = [];
  let readyAt = 0;
  const update = () => ledger.update(itSub.messages());
  const otUrl = (address: string) => `mqtts://${address}:8883`;

  /** Waits until every machine has a scan taken after `time` at IT, then checks none is missing. */
  async function everyScanArrives(time: number, timeoutMs: number): Promise<number> {
    await vi.waitFor(
      () => {
        expect(fleet.alive(), fleet.lines.slice(-20).join('\n')).toBe(true);
        expect(
          update().allScannedAfter(MACHINES, time),
          `every machine at IT with a scan after ${new Date(time).toISOString()}; bridge up: ${bridgeUp()}; scans at IT: ${ledger.scans.length}\n${fleet.lines.slice(-6).join('\n')}`,
        ).toBe(true);
      },
      { timeout: timeoutMs, interval: 250 },
    );
    expect(ledger.missing()).toEqual([]);
    return Date.now();
  }

  beforeAll(async () => {
    if (!existsSync(AGENT_MAIN))
      throw new Error(`${AGENT_MAIN} is missing: run \`npx nx run agent:build\``);
    lab = await createNetlab();
    secrets = await labSecrets();
    it$ = await startItBroker(lab, secrets);
    ot = await startOtBroker(lab, secrets, {
      machines: MACHINES,
      bridgeKeepaliveSeconds: KEEPALIVE_S,
    });
    const ca = secrets.caFile;
    itSub = await startMosquittoSub({
      url: `mqtts://${ADDRESSES.it}:8883`,
      caFile: ca,
      username: 'dashboard',
      password: await readFile(secrets.users['dashboard']!.passwordFile!, 'utf8'),
      topics: ['plc/bottlefiller/+/data'],
      netns: lab.ns.it,
    });
    bridgeState = await startMosquittoSub({
      url: otUrl('127.0.0.1'),
      caFile: ca,
      username: 'broker-metrics',
      password: await readFile(secrets.users['broker-metrics']!.passwordFile!, 'utf8'),
      topics: ['$SYS/broker/connection/#'],
      netns: lab.ns.ot,
    });
    await vi.waitFor(() => expect(bridgeUp()).toBe(true), { timeout: 30_000, interval: 200 });
    fleet = startFleet(lab, secrets, {
      size: FLEET,
      url: otUrl(ADDRESSES.otCell),
      keepaliveSeconds: KEEPALIVE_S,
    });
    await everyScanArrives(Date.now(), 60_000);
    readyAt = Date.now();
  });

  afterAll(async () => {
    await fleet?.stop();
    await Promise.all([itSub?.stop(), bridgeState?.stop()]);
    await Promise.all([ot?.kill(), it$?.kill()]);
    await lab?.teardown();
    if (figures.length > 0) console.log(['netlab figures:', ...figures].join('\n  '));
  });

  /** The bridge's link state as the OT broker last announced it ($SYS …/connection/…/state). */
  function bridgeUp(): boolean {
    const states = bridgeState.messages().filter((m) => m.topic.endsWith('/state'));
    return states.at(-1)?.payload === '1';
  }
  /** Local ports of the OT broker's established TCP connections to the IT broker's bridge port. */
  async function bridgeConnections(): Promise<string[]> {
    const out = await lab.exec(lab.ns.ot, 'ss', [
      ...['-Htn', 'state', 'established', 'dst', ADDRESSES.it, 'dport', '=', ':8884'],
    ]);
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[2] ?? '')
      .filter((local) => local !== '');
  }
  const bridgeConnects = () =>
    bridgeState.messages().filter((m) => m.topic.endsWith('/state') && m.payload === '1').length;

  /** Can a TCP connection be opened from `ns` to `address:port` within 2 s? */
  async function canConnect(ns: string, address: string, port: number): Promise<boolean> {
    try {
      await lab.exec(ns, 'timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/${address}/${port}`]);
      return true;
    } catch {
      return false;
    }
  }

  it('isolation: IT reaches no OT broker port; the field network reaches only TLS; the bridge carries every scan to IT; nothing published on IT reaches OT', async () => {
    for (const port of [1883, 8883, 9001, 9443])
      for (const address of [ADDRESSES.otUplink, ADDRESSES.otCell])
        expect(await canConnect(lab.ns.it, address, port), `IT → ${address}:${port}`).toBe(false);
    expect(await canConnect(lab.ns.cell, ADDRESSES.otCell, 8883), 'cell → OT 8883').toBe(true);
    // 9443 (secure WebSockets) listens on every address (Mosquitto 2.0): the firewall closes it.
    expect(await canConnect(lab.ns.cell, ADDRESSES.otCell, 9443), 'cell → OT 9443').toBe(false);
    expect(await canConnect(lab.ns.it, ADDRESSES.it, 8883), 'IT → IT broker').toBe(true);

    // A publish on IT (even with the bridge's own identity) never reaches OT.
    const otSub = await startMosquittoSub({
      url: otUrl('127.0.0.1'),
      caFile: secrets.caFile,
      username: 'operator',
      password: await readFile(secrets.users['operator']!.passwordFile!, 'utf8'),
      topics: ['plc/bottlefiller/#'],
      netns: lab.ns.ot,
    });
    try {
      await lab.exec(lab.ns.it, 'mosquitto_pub', [
        ...['-h', ADDRESSES.it, '-p', '8884', '--cafile', secrets.caFile],
        ...[
          '--cert',
          secrets.users['ot-bridge']!.certFile,
          '--key',
          secrets.users['ot-bridge']!.keyFile,
        ],
        ...['-q', '1', '-t', 'plc/bottlefiller/filler-0001/command', '-m', 'from IT'],
      ]);
      // The bridge never subscribes on IT (only `out` topics): the IT broker logged no SUBSCRIBE
      // from it, and once OT has delivered fresh fleet data both ways, OT still has no "from IT".
      const since = Date.now();
      await vi.waitFor(
        () => expect(otSub.messages().some((m) => m.receivedAt > since + 2_000)).toBe(true),
        { timeout: 30_000, interval: 200 },
      );
      expect(otSub.messages().filter((m) => m.payload === 'from IT')).toEqual([]);
      expect(await it$.readLog()).not.toMatch(/ot-bridge-filler-01 \d plc\//);
    } finally {
      await otSub.stop();
    }
    update();
    baseline = ledger.latencies(readyAt, Date.now() - 5_000);
    expect(ledger.machines().sort()).toEqual(MACHINES);
    expect(ledger.missing()).toEqual([]);
    say(
      `isolation: IT → OT 1883/8883/9001/9443 dropped; ${ledger.scans.length} scans of ${FLEET} machines bridged, none missing`,
    );
  });

  it('link cut (30 s, OT ↔ IT, 100-filler fleet): the bridge reconnects and IT receives every scan made during the cut', async () => {
    const connectsBefore = bridgeConnects();
    const cutAt = Date.now();
    await lab.exec(lab.ns.ot, 'ip', ['link', 'set', lab.ifs.otUplink, 'down']);
    await hold(30_000);
    await lab.exec(lab.ns.ot, 'ip', ['link', 'set', lab.ifs.otUplink, 'up']);
    const restoredAt = Date.now();
    const caughtUp = await everyScanArrives(restoredAt, 120_000);
    const during = ledger.scans.filter((s) => s.scannedAt >= cutAt && s.scannedAt < restoredAt);
    expect(during.length).toBeGreaterThan(FLEET * 10);
    say(
      `link cut 30 s: ${during.length} scans made during the cut, all arrived; caught up ${seconds(caughtUp - restoredAt)} after the link returned; bridge reconnects: ${bridgeConnects() - connectsBefore}`,
    );
  });

  it(`black hole (packets silently dropped) for 25 s on the agent's link and on the bridge's: the agent detects it within 1.5 × MQTT_KEEPALIVE ${KEEPALIVE_S} s, the bridge within 2 × keepalive_interval ${KEEPALIVE_S} s; nothing is lost once it clears`, async () => {
    const linesBefore = fleet.lines.length;
    const bridgeBefore = await bridgeConnections();
    const otLogBefore = (await ot.readLog()).length;
    expect(bridgeBefore.length, 'one bridge connection to IT before the hole').toBe(1);
    const start = Date.now();
    await nft(lab.ns.cell, blackHoleRules(lab.ifs.cell));
    await nft(lab.ns.ot, blackHoleRules(lab.ifs.otUplink));
    let bridgeDetected = Number.NaN;
    try {
      // The fault lasts 25 s; meanwhile, watch the bridge's socket (its `$SYS/…/state` is no
      // witness: Mosquitto 2.0.11 publishes no "0" when a bridge drops, upstream #2467).
      while (Date.now() - start < 25_000) {
        if (Number.isNaN(bridgeDetected) && !(await bridgeConnections()).includes(bridgeBefore[0]!))
          bridgeDetected = Date.now();
        await hold(250);
      }
    } finally {
      await nft(lab.ns.cell, deleteTable('netlab_black_hole'));
      await nft(lab.ns.ot, deleteTable('netlab_black_hole'));
    }
    const clearedAt = Date.now();
    const caughtUp = await everyScanArrives(clearedAt, 120_000);
    const lost = fleet.lines
      .slice(linesBefore)
      .find((l) => /connection lost/.test(l) && /KEEPALIVE_TIMEOUT/.test(l));
    const agentDetected = lost ? Date.parse(lost.split(' ')[0] ?? '') : Number.NaN;
    const agentBound = 1.5 * KEEPALIVE_S * 1000;
    const bridgeBound = 2 * KEEPALIVE_S * 1000;
    say(
      `black hole 25 s: agent detected it after ${seconds(agentDetected - start)} (KEEPALIVE_TIMEOUT; bound ${seconds(agentBound)} = 1.5 × MQTT_KEEPALIVE ${KEEPALIVE_S} s); bridge dropped its connection after ${seconds(bridgeDetected - start)} (bound ${seconds(bridgeBound)} = 2 × keepalive_interval ${KEEPALIVE_S} s: a PINGREQ after one silent interval, the close after the next) and reconnected by itself; every scan arrived ${seconds(caughtUp - clearedAt)} after clearing`,
    );
    expect(lost, fleet.lines.slice(linesBefore).join('\n')).toBeDefined();
    // Plus the agent's 1 s check and a scheduling margin on a loaded 2-core machine.
    expect(agentDetected - start).toBeLessThanOrEqual(agentBound + 3_000);
    expect(
      bridgeDetected - start,
      'the bridge gave up its black-holed connection',
    ).toBeLessThanOrEqual(bridgeBound + 3_000);
    expect((await ot.readLog()).slice(otLogBefore)).toMatch(/Connecting bridge/);
  });

  it('packet loss of 5 % and 20 % on the field link for 60 s each: every QoS 1 scan arrives (retries and added latency reported)', async () => {
    // Baseline: the fault-free first scenario of the same run.
    expect(baseline.length).toBeGreaterThan(FLEET);
    const rows = [
      `no loss: p50 ${percentile(baseline, 50).toFixed(0)} ms, p99 ${percentile(baseline, 99).toFixed(0)} ms (${baseline.length} scans)`,
    ];
    for (const loss of [5, 20]) {
      const retransBefore = await tcpRetransmits(lab, lab.ns.cell);
      const from = Date.now();
      await nft(lab.ns.cell, packetLossRules(lab.ifs.cell, loss));
      try {
        await hold(60_000);
      } finally {
        await nft(lab.ns.cell, deleteTable('netlab_loss'));
      }
      const to = Date.now();
      await everyScanArrives(to, 180_000);
      const retrans = (await tcpRetransmits(lab, lab.ns.cell)) - retransBefore;
      const lat = ledger.latencies(from, to);
      expect(lat.length).toBeGreaterThan(FLEET * 25);
      rows.push(
        `${loss} % loss 60 s: ${lat.length} scans all arrived; agent TCP retransmissions ${retrans}; latency p50 ${percentile(lat, 50).toFixed(0)} ms (${signed(percentile(lat, 50) - percentile(baseline, 50))}), p99 ${percentile(lat, 99).toFixed(0)} ms (${signed(percentile(lat, 99) - percentile(baseline, 99))}) vs. no loss`,
      );
    }
    for (const row of rows) say(`packet loss: ${row}`);
  });

  it('address change: the OT broker moves to another static address; the agent, whose MQTT_URL lists both, follows by itself with nothing lost', async () => {
    // The documented procedure (docs/deployment.md): MQTT_URL lists the old and the new address
    // (the server certificate names both); move the broker; the agent fails over on its own.
    const listBoth = `${otUrl(ADDRESSES.otCell)},${otUrl(ADDRESSES.otCellMoved)}`;
    await fleet.stop();
    fleet = startFleet(lab, secrets, { size: FLEET, url: listBoth, keepaliveSeconds: KEEPALIVE_S });
    await everyScanArrives(Date.now(), 60_000);
    const linesBefore = fleet.lines.length;
    const movedAt = Date.now();
    const addr = (op: 'add' | 'del', address: string) =>
      lab.exec(lab.ns.ot, 'ip', ['addr', op, `${address}/24`, 'dev', lab.ifs.otCell]);
    await addr('add', ADDRESSES.otCellMoved);
    await addr('del', ADDRESSES.otCell);
    const done = await everyScanArrives(Date.now(), 90_000);
    expect(await canConnect(lab.ns.cell, ADDRESSES.otCell, 8883)).toBe(false);
    // The same agent process, now on the second URL of its list.
    const moved = fleet.lines
      .slice(linesBefore)
      .find((l) => / connected /.test(l) && l.includes(otUrl(ADDRESSES.otCellMoved)));
    expect(moved, fleet.lines.slice(linesBefore).join('\n')).toBeDefined();
    expect(fleet.alive()).toBe(true);
    say(
      `address change (MQTT_URL lists both addresses, the agent was not restarted): data from every machine again ${seconds(done - movedAt)} after the move began; none missing`,
    );
  });
});

/** TCP segments retransmitted so far in a namespace (`/proc/net/snmp`, Tcp RetransSegs). */
async function tcpRetransmits(lab: Netlab, ns: string): Promise<number> {
  const snmp = await lab.exec(ns, 'cat', ['/proc/net/snmp']);
  const [names, values] = snmp.split('\n').filter((l) => l.startsWith('Tcp:'));
  const index = (names ?? '').split(/\s+/).indexOf('RetransSegs');
  return Number((values ?? '').split(/\s+/)[index]);
}
