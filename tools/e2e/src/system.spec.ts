import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerTest as it, mosquittoPub } from '@ot-mqtt/broker/testing';
import { PackmlPayloadSchema, parsePayload } from '@ot-mqtt/tag-model';
import { afterEach, describe, expect, vi } from 'vitest';
import { assertAlive, killAll, startAgent, startViewer } from './processes.test-helper.js';
import {
  completeScans,
  connected,
  events,
  records,
  SCAN_KINDS,
  type ViewerRecord,
} from './viewer-output.test-helper.js';

// The whole system as a user runs it: the project's development broker config (both listeners),
// the built agent publishing, the built viewer and mosquitto_sub subscribing. One broker for the
// file; each test has its own topic root and client ids, so nothing leaks between tests.
afterEach(killAll);
const poll = (timeout: number) => ({ timeout, interval: 25 });

const VIEWER_ENV = { VIEWER_STATS_INTERVAL: '0', NO_COLOR: '1' };
const AGENT_ENV = { PUBLISH_INTERVAL: '0.1', SUMMARY_INTERVAL: '0' };

/** Data-topic sequences shown by the viewer, in arrival order. */
const dataSequences = (all: readonly ViewerRecord[]): number[] =>
  all.filter((r) => r.kind === 'data' && !r.error).map((r) => r.sequence ?? -1);

/** Scan numbers missing between the first and the last one seen (repeats are allowed: QoS 1). */
function missingBetween(sequences: readonly number[]): number[] {
  if (sequences.length === 0) return [];
  const seen = new Set(sequences);
  const [min, max] = [Math.min(...sequences), Math.max(...sequences)];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i).filter((s) => !seen.has(s));
}

describe('agent → Mosquitto → viewer, with a third-party subscriber', () => {
  it.for([
    ['TCP', 1883],
    ['WebSocket', 9001],
  ] as const)(
    'over the %s listener (%i in the config): all seven topics reach the viewer valid, mosquitto_sub sees the same messages at QoS 1, and only the connection and PackML topics are retained',
    async ([name, listener], { broker, mosquittoSub }) => {
      const url = broker.urls[listener];
      expect(url, `the config's ${listener} listener`).toMatch(
        listener === 1883 ? /^mqtt:\/\// : /^ws:\/\//,
      );
      const root = `e2e/${name.toLowerCase()}/plc/bottlefiller`;
      const sub = await mosquittoSub({ url: broker.url, topics: [`${root}/#`] });

      const viewer = startViewer({ ...VIEWER_ENV, MQTT_URL: url!, TOPIC_ROOT: root }, ['--ndjson']);
      expect((await connected(viewer, 30_000))['url']).toContain(url);
      const agent = startAgent({
        ...AGENT_ENV,
        MQTT_URL: url!,
        TOPIC_ROOT: root,
        MQTT_CLIENT_ID: `e2e-agent-${name}`,
      });

      // Five complete scans seen by both subscribers.
      const subScans = () => {
        const bySeq = new Map<number, number>();
        for (const m of sub.messages()) {
          const seq = /"sequence":(\d+)/.exec(m.payload)?.[1];
          if (seq !== undefined) bySeq.set(Number(seq), (bySeq.get(Number(seq)) ?? 0) + 1);
        }
        return [...bySeq].filter(([, n]) => n >= 7).map(([s]) => s);
      };
      const common = await vi.waitFor(() => {
        assertAlive(agent, viewer);
        expect(sub.alive(), `mosquitto_sub ended:\n${sub.output()}`).toBe(true);
        const theirs = new Set(subScans());
        const both = completeScans(records(viewer)).filter((s) => theirs.has(s));
        if (both.length < 5)
          throw new Error(
            `five complete scans at both subscribers${agent.dump()}${viewer.dump()}\n${sub.output()}`,
          );
        return both.slice(0, 5);
      }, poll(45_000));

      // The viewer: every message valid, of the seven kinds (+ connection), QoS 1, not retained.
      const shown = records(viewer);
      expect(shown.filter((r) => r.error)).toEqual([]);
      for (const seq of common) {
        // The PackML state carries the sequence of the scan it was read at; it is not a scan topic.
        const scan = shown.filter((r) => r.sequence === seq && r.kind !== 'packml');
        expect(scan.map((r) => r.kind).sort()).toEqual([...SCAN_KINDS].sort());
        for (const r of scan) {
          expect(r).toMatchObject({
            topic: `${root}/${r.kind}`,
            machineId: 'filler-01',
            qos: 1,
            retain: false,
            payload: { schemaVersion: 1, machineId: 'filler-01', sequence: seq },
          });
        }
      }
      expect(missingBetween(dataSequences(shown))).toEqual([]);
      expect(shown.find((r) => r.kind === 'connection')).toMatchObject({
        topic: `${root}/connection`,
        payload: { status: 'online', machineId: 'filler-01', publishIntervalMs: 100 },
      });

      // mosquitto_sub: the same messages (valid per the tag model, equal to what the viewer
      // showed), at QoS 1, none of them retained.
      const theirs = sub.messages();
      for (const seq of common) {
        const scan = theirs.filter(
          (m) => m.payload.includes(`"sequence":${seq},`) && !m.topic.endsWith('/packml'),
        );
        expect(scan.map((m) => m.topic.slice(root.length + 1)).sort()).toEqual(
          [...SCAN_KINDS].sort(),
        );
        for (const m of scan) {
          expect({ qos: m.qos, retain: m.retain }).toEqual({ qos: 1, retain: false });
          const parsed = parsePayload(m.topic, m.payload, { root });
          expect(parsed, m.payload).toMatchObject({ ok: true });
          const mine = shown.find((r) => r.topic === m.topic && r.sequence === seq);
          expect(JSON.parse(m.payload)).toEqual(mine?.payload);
        }
      }
      expect(theirs.filter((m) => m.retain)).toEqual([]);

      // A subscriber arriving now gets two retained messages: the agent's `online` and the PackML
      // state (published by default since issue 12).
      const late = await mosquittoSub({
        url: broker.url,
        topics: [`${root}/#`],
        args: ['--retained-only'],
      });
      // --retained-only ends at the first live (non-retained) message.
      expect(await late.exited).toBe(0);
      const retained = late.messages().sort((a, b) => a.topic.localeCompare(b.topic));
      expect(retained.map((m) => m.topic)).toEqual([`${root}/connection`, `${root}/packml`]);
      expect(PackmlPayloadSchema.parse(JSON.parse(retained[1]?.payload ?? ''))).toMatchObject({
        machineId: 'filler-01',
        state: 'Execute',
      });
      expect(retained[0]?.qos).toBe(1);
      expect(JSON.parse(retained[0]?.payload ?? '')).toMatchObject({
        schemaVersion: 1,
        status: 'online',
        machineId: 'filler-01',
      });

      // Ctrl-C of the agent: the viewer learns it went offline; both exit cleanly.
      expect(await agent.stop(30_000)).toBe(0);
      await vi.waitFor(() => {
        const offline = events(viewer).find(
          (e) => e.event === 'connection' && e['machineId'] && e['status'] === 'offline',
        );
        if (!offline) throw new Error(`the viewer to report the agent offline${viewer.dump()}`);
      }, poll(30_000));
      expect(await viewer.stop(30_000)).toBe(0);
    },
  );

  it('malformed, empty, binary and oversized messages from mosquitto_pub while the agent runs: the viewer reports each once and keeps showing valid agent data', async ({
    broker,
  }) => {
    const root = 'e2e/bad/plc/bottlefiller';
    const viewer = startViewer({ ...VIEWER_ENV, MQTT_URL: broker.url, TOPIC_ROOT: root }, [
      '--ndjson',
    ]);
    await connected(viewer, 30_000);
    const agent = startAgent({
      ...AGENT_ENV,
      PUBLISH_INTERVAL: '0.2',
      MQTT_URL: broker.url,
      TOPIC_ROOT: root,
      MQTT_CLIENT_ID: 'e2e-agent-bad-messages',
    });
    await vi.waitFor(() => {
      assertAlive(agent, viewer);
      if (completeScans(records(viewer)).length < 2)
        throw new Error(`two valid scans at the viewer${agent.dump()}${viewer.dump()}`);
    }, poll(45_000));

    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-e2e-'));
    const binary = join(dir, 'binary.bin');
    await writeFile(binary, Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x81, 0xc3, 0x28, 0x00]));
    const oversized = join(dir, 'oversized.json');
    await writeFile(oversized, `{"x":"${'a'.repeat(300 * 1024)}"}`);
    const bad = [
      { topic: `${root}/data`, message: '{"schemaVersion":1,"timestamp":' },
      { topic: `${root}/inputs` }, // empty (-n)
      { topic: `${root}/analog`, file: binary },
      { topic: `${root}/status`, file: oversized },
    ];
    for (const m of bad) {
      const sent = await mosquittoPub({ url: broker.url, qos: 1, ...m });
      expect(sent.code, sent.stderr).toBe(0);
    }

    const errors = await vi.waitFor(() => {
      const found = records(viewer).filter((r) => r.error);
      if (found.length < bad.length)
        throw new Error(`the viewer to report ${bad.length} bad messages${viewer.dump()}`);
      return found;
    }, poll(30_000));
    // Valid data keeps coming after them: three more complete scans.
    const lastBefore = Math.max(...dataSequences(records(viewer)));
    await vi.waitFor(() => {
      assertAlive(agent, viewer);
      if (completeScans(records(viewer)).filter((s) => s > lastBefore).length < 3)
        throw new Error(`three valid scans after the bad messages${agent.dump()}${viewer.dump()}`);
    }, poll(45_000));

    expect(errors.map((r) => r.topic)).toEqual(bad.map((m) => m.topic));
    const [notJson, empty, notUtf8, tooLarge] = errors;
    expect(notJson?.error?.message).toMatch(/JSON/);
    expect(empty?.error?.bytes).toBe(0);
    expect(empty?.error?.message).not.toBe('');
    expect(notUtf8?.error).toMatchObject({ bytes: 8 });
    expect(notUtf8?.error?.message).toMatch(/binary|UTF-8/);
    expect(tooLarge?.error?.message).toMatch(/too large/);
    expect(tooLarge?.error?.bytes).toBeGreaterThan(300 * 1024);
    // Reported in one line, not dumped: the NDJSON line stays small.
    const tooLargeLine = viewer.stdout.find(
      (l) => l.includes('"too large') || l.includes('too large'),
    );
    expect(tooLargeLine?.length ?? 0).toBeLessThan(2000);

    // Exactly one report each, and the bad messages disturbed neither the viewer nor its scan
    // tracking.
    expect(records(viewer).filter((r) => r.error)).toHaveLength(bad.length);
    expect(viewer.alive()).toBe(true);
    expect(agent.alive()).toBe(true);
    expect(events(viewer).filter((e) => e.event === 'gap')).toEqual([]);
    expect(missingBetween(dataSequences(records(viewer)))).toEqual([]);
  });
});
