import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOPIC_ROOT,
  MESSAGE_KINDS,
  TOPIC_KINDS,
  connectionTopic,
  parseTopic,
  subscriptionFilter,
  topicFor,
} from './index.js';

describe('topics', () => {
  it('builds the seven topics of the architecture document', () => {
    expect(TOPIC_KINDS.map((kind) => topicFor(kind))).toEqual([
      'plc/bottlefiller/data',
      'plc/bottlefiller/inputs',
      'plc/bottlefiller/outputs',
      'plc/bottlefiller/analog',
      'plc/bottlefiller/status',
      'plc/bottlefiller/counters',
      'plc/bottlefiller/alarms',
    ]);
    expect(DEFAULT_TOPIC_ROOT).toBe('plc/bottlefiller');
    expect(subscriptionFilter()).toBe('plc/bottlefiller/#');
  });

  it('inserts a machine level for fleets, still under plc/bottlefiller/#', () => {
    expect(topicFor('analog', { machineId: 'filler-02' })).toBe(
      'plc/bottlefiller/filler-02/analog',
    );
    expect(connectionTopic()).toBe('plc/bottlefiller/connection');
    expect(connectionTopic({ machineId: 'filler-02' })).toBe(
      'plc/bottlefiller/filler-02/connection',
    );
  });

  it('uses a custom root', () => {
    expect(topicFor('data', { root: 'site-a/line-3' })).toBe('site-a/line-3/data');
    expect(topicFor('data', { root: 'site-a/line-3', machineId: 'f1' })).toBe(
      'site-a/line-3/f1/data',
    );
    expect(subscriptionFilter('site-a/line-3')).toBe('site-a/line-3/#');
  });

  it('refuses roots and machine ids that cannot form a topic, naming the value', () => {
    for (const root of ['', '/plc', 'plc/', 'plc//x', 'plc/+', 'plc/#']) {
      expect(() => topicFor('data', { root }), root).toThrow(/Invalid topic root/);
    }
    for (const machineId of ['', 'a/b', 'a+', '#']) {
      expect(() => topicFor('data', { machineId }), machineId).toThrow(/Invalid machineId/);
    }
  });

  it('parses every topic it builds, with and without machine level and root', () => {
    for (const kind of MESSAGE_KINDS) {
      const build = (options?: { root?: string; machineId?: string }) =>
        kind === 'connection' ? connectionTopic(options) : topicFor(kind, options);
      expect(parseTopic(build())).toEqual({ kind });
      expect(parseTopic(build({ machineId: 'filler-07' }))).toEqual({
        kind,
        machineId: 'filler-07',
      });
      expect(parseTopic(build({ root: 'a/b/c' }), 'a/b/c')).toEqual({ kind });
      expect(parseTopic(build({ root: 'a/b/c', machineId: 'm' }), 'a/b/c')).toEqual({
        kind,
        machineId: 'm',
      });
    }
  });

  it('returns undefined for topics that are not ours', () => {
    for (const topic of [
      'plc/bottlefiller',
      'plc/bottlefiller/',
      'plc/bottlefiller/unknown',
      'plc/bottlefiller/filler-01/unknown',
      'plc/bottlefiller/a/b/data',
      'plc/bottlefiller//data',
      'plc/other/data',
      'plc/bottlefillerX/data',
      'data',
    ]) {
      expect(parseTopic(topic), topic).toBeUndefined();
    }
    expect(parseTopic('plc/bottlefiller/data', 'other/root')).toBeUndefined();
  });
});
