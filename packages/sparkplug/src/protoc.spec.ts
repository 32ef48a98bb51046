import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleTags } from '@ot-mqtt/tag-model/testing';
import { describe, expect, it } from 'vitest';
import { decodePayload } from './decode-payload.js';
import { createEdgeNodeSession } from './edge-node-session.js';
import { SPARKPLUG_B_DESCRIPTOR_SET } from './internal/sparkplug-b-descriptor.js';

// Debian's protoc (protobuf-compiler, installed by .ci/run) is the independent implementation: it
// decodes our bytes against the .proto, and encodes text messages our decoder must read.
const PROTO_DIR = fileURLToPath(new URL('../proto', import.meta.url));
const PAYLOAD = 'org.eclipse.tahu.protobuf.Payload';
const hasProtoc = spawnSync('protoc', ['--version']).status === 0;

const protoc = (args: string[], input: Uint8Array | string): Buffer =>
  execFileSync('protoc', [`-I${PROTO_DIR}`, ...args, 'sparkplug_b.proto'], {
    input,
    cwd: PROTO_DIR,
  });
const decodeWithProtoc = (bytes: Uint8Array): string =>
  protoc([`--decode=${PAYLOAD}`], bytes).toString('utf8');

describe.skipIf(!hasProtoc)('third-party proof: protoc --decode / --encode', () => {
  it('the embedded descriptor is what protoc compiles from proto/sparkplug_b.proto', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparkplug-descriptor-'));
    try {
      protoc([`--descriptor_set_out=${join(dir, 'set.bin')}`], '');
      expect(readFileSync(join(dir, 'set.bin')).toString('base64')).toBe(
        SPARKPLUG_B_DESCRIPTOR_SET,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(readFileSync(`${PROTO_DIR}/sparkplug_b.proto`, 'utf8')).toContain(`message Payload`);
  });

  it('decodes our NBIRTH, DBIRTH and DDATA with names, types and values', () => {
    const node = createEdgeNodeSession({
      groupId: 'Packaging',
      edgeNodeId: 'ot-toolkit',
      deviceIds: ['filler-01'],
      bdSeq: 7,
    });
    const [nbirth, dbirth] = node.birth(() => exampleTags(), 1_700_000_000_000);
    const nbirthText = decodeWithProtoc(nbirth!.payload);
    expect(nbirthText).toMatch(/^timestamp: 1700000000000$/mu);
    expect(nbirthText).toMatch(/^seq: 0$/mu);
    expect(nbirthText).toMatch(
      /name: "bdSeq"\n\s+timestamp: 1700000000000\n\s+datatype: 4\n\s+long_value: 7/u,
    );
    expect(nbirthText).toMatch(
      /name: "Node Control\/Rebirth"\n\s+timestamp: \d+\n\s+datatype: 11\n\s+boolean_value: false/u,
    );
    expect(nbirthText).not.toMatch(/alias/u);

    const dbirthText = decodeWithProtoc(dbirth!.payload);
    expect(dbirthText).toMatch(/^seq: 1$/mu);
    expect(dbirthText).toMatch(
      /name: "Analog\/FillLevel"\n\s+alias: 13\n\s+timestamp: \d+\n\s+datatype: 10\n/u,
    );
    expect(dbirthText).toMatch(/keys: "engUnit"/u);
    expect(dbirthText).toMatch(/string_value: "L\/min"/u);
    expect(dbirthText).toMatch(
      /name: "Counters\/BottlesFilled"\n\s+alias: 23\n\s+timestamp: \d+\n\s+datatype: 3\n[^]*?int_value: \d+/u,
    );
    expect(dbirthText.match(/^metrics \{/gmu)).toHaveLength(41);

    const ddata = node.data(
      'filler-01',
      exampleTags({ analog: { FillLevel: 62.5 }, counters: { BottlesFilled: 1235 } }),
      1_700_000_000_500,
    )!;
    const ddataText = decodeWithProtoc(ddata.payload);
    expect(ddataText).toBe(
      [
        'timestamp: 1700000000500',
        'metrics {',
        '  alias: 13',
        '  timestamp: 1700000000500',
        '  double_value: 62.5',
        '}',
        'metrics {',
        '  alias: 23',
        '  timestamp: 1700000000500',
        '  int_value: 1235',
        '}',
        'seq: 2',
        '',
      ].join('\n'),
    );
  });

  it('our decoder reads what protoc --encode built from a text message', () => {
    const text = `
      timestamp: 1700000000000
      seq: 200
      metrics { name: "Temperature" alias: 3 datatype: 10 double_value: -12.5 timestamp: 1700000000001 }
      metrics { name: "Big" datatype: 8 long_value: 18446744073709551615 }
      metrics { name: "Neg8" datatype: 1 int_value: 253 }
      metrics { name: "Nothing" datatype: 12 is_null: true }
      metrics { alias: 3 double_value: 7 }
      metrics { name: "Props" datatype: 11 boolean_value: true
        properties { keys: "engUnit" values { type: 12 string_value: "°C" } } }
    `;
    const bytes = protoc([`--encode=${PAYLOAD}`], text);
    expect(decodePayload(bytes)).toEqual({
      timestamp: 1_700_000_000_000,
      seq: 200,
      metrics: [
        { name: 'Temperature', alias: 3, datatype: 10, value: -12.5, timestamp: 1_700_000_000_001 },
        { name: 'Big', datatype: 8, value: 18_446_744_073_709_551_615n },
        { name: 'Neg8', datatype: 1, value: -3 },
        { name: 'Nothing', datatype: 12, value: null },
        { alias: 3, value: 7 },
        {
          name: 'Props',
          datatype: 11,
          value: true,
          properties: { engUnit: { type: 12, value: '°C' } },
        },
      ],
    });
  });
});
