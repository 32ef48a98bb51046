import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const load = (env: Record<string, string>) => loadConfig(env);

describe('payload configuration (PAYLOAD_*, SPARKPLUG_*)', () => {
  it('keeps JSON the default, and takes a compression for it', () => {
    const plain = load({});
    expect(plain.ok && plain.config.payload).toEqual({ format: 'json', compression: 'none' });
    const gzip = load({ PAYLOAD_COMPRESSION: 'gzip' });
    expect(gzip.ok && gzip.config.payload).toEqual({ format: 'json', compression: 'gzip' });
  });

  it('makes the agent an edge node named after its client id unless told otherwise', () => {
    const defaults = load({ PAYLOAD_FORMAT: 'sparkplug' });
    expect(defaults.ok && defaults.config.payload).toEqual({
      format: 'sparkplug',
      groupId: 'Packaging',
      edgeNodeId: 'ot-mqtt-agent-filler-01',
    });
    const named = load({
      PAYLOAD_FORMAT: 'sparkplug',
      SPARKPLUG_GROUP_ID: 'Line 2',
      SPARKPLUG_EDGE_NODE_ID: 'filler-node',
      SPARKPLUG_HOST_ID: 'scada',
    });
    expect(named.ok && named.config.payload).toEqual({
      format: 'sparkplug',
      groupId: 'Line 2',
      edgeNodeId: 'filler-node',
      hostId: 'scada',
    });
  });

  it('names the variable when the combination cannot work', () => {
    const errors = (env: Record<string, string>) => {
      const result = load(env);
      return result.ok ? [] : result.errors.map((e) => e.variable);
    };
    expect(errors({ PAYLOAD_FORMAT: 'sparkplug', PAYLOAD_COMPRESSION: 'deflate' })).toEqual([
      'PAYLOAD_COMPRESSION',
    ]);
    expect(
      errors({ PAYLOAD_FORMAT: 'sparkplug', FILLER_COUNT: '3', CONNECTION_MODE: 'per-filler' }),
    ).toEqual(['CONNECTION_MODE']);
    expect(errors({ PAYLOAD_FORMAT: 'sparkplug', MQTT_CLIENT_ID: 'site/filler' })).toEqual([
      'SPARKPLUG_EDGE_NODE_ID',
    ]);
    expect(errors({ SPARKPLUG_HOST_ID: 'a/b' })).toEqual(['SPARKPLUG_HOST_ID']);
  });

  it('warns that Sparkplug ids do nothing in JSON mode', () => {
    const result = load({ SPARKPLUG_GROUP_ID: 'Packaging' });
    expect(result.ok && result.warnings).toEqual([
      'SPARKPLUG_GROUP_ID has no effect with PAYLOAD_FORMAT=json',
    ]);
  });
});
