import { describe, expect, it } from 'vitest';
import { encodeScan } from './encode-scan.js';
import { MachineIdSchema } from './payloads.js';
import { connectionTopic, parseTopic, subscriptionFilter, topicFor } from './topics.js';
import { exampleTags } from './testing/index.js';
import {
  machineIdProblem,
  natsPortabilityProblem,
  natsPortabilityWarnings,
  topicRootProblem,
} from './topic-names.js';

const accepts = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

describe('one machine-id rule', () => {
  it.each([
    ['filler-01', true],
    ['Line_2.filler-07', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['a b', false],
    ['a/b', false],
    ['+', false],
    ['#', false],
    ['f\u001b[2J', false],
    ['füller', false],
  ])(
    '%j valid: %s — the schema, encoder, topic builder and topic parser all agree',
    (id, valid) => {
      expect(machineIdProblem(id) === undefined).toBe(valid);
      expect(MachineIdSchema.safeParse(id).success).toBe(valid);
      expect(
        accepts(() =>
          encodeScan(exampleTags(), { machineId: id, sequence: 1, timestamp: new Date(0) }),
        ),
      ).toBe(valid);
      expect(accepts(() => topicFor('data', { machineId: id }))).toBe(valid);
      expect(accepts(() => connectionTopic({ machineId: id }))).toBe(valid);
      if (!id.includes('/'))
        expect(parseTopic(`plc/bottlefiller/${id}/data`)?.machineId === id).toBe(valid);
    },
  );
});

describe('one topic-root rule', () => {
  it.each([
    ['plc/bottlefiller', undefined],
    ['site a/line 3', undefined],
    ['', 'empty'],
    ['/plc', 'empty topic level'],
    ['plc/', 'empty topic level'],
    ['plc//x', 'empty topic level'],
    ['plc/+', 'wildcard'],
    ['plc/#', 'wildcard'],
    ['plc\u0000', 'NUL'],
    ['$SYS/x', 'reserved for the broker'],
    ['x'.repeat(201), 'at most 200'],
  ])('%j → %s, and the topic builders agree', (root, problem) => {
    const found = topicRootProblem(root);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
    expect(accepts(() => topicFor('data', { root }))).toBe(problem === undefined);
    expect(accepts(() => subscriptionFilter(root))).toBe(problem === undefined);
  });
});

describe('NATS portability', () => {
  it('names the space and the dot that close a NATS MQTT connection, and passes the rest', () => {
    expect(natsPortabilityProblem('plc/bottlefiller/filler-01')).toBeUndefined();
    expect(natsPortabilityProblem('site a/line')).toContain('space');
    expect(natsPortabilityProblem('line.2')).toContain('"."');
    expect(natsPortabilityProblem('$share/historians/plc/bottlefiller/#')).toContain(
      'never delivers',
    );
  });
});

describe('natsPortabilityWarnings', () => {
  it('names each setting a NATS gateway would refuse, with its value, and nothing else', () => {
    expect(
      natsPortabilityWarnings({ TOPIC_ROOT: 'plc/bottlefiller', MACHINE_ID: 'line.2' }),
    ).toEqual([
      'MACHINE_ID="line.2" contains ".", which a NATS MQTT gateway before 2.10 refuses (it closes the connection); fine on Mosquitto',
    ]);
  });
});
