import { envVar, oneOf } from '@ot-mqtt/app-kit';
import { sparkplugIdProblem } from '@ot-mqtt/sparkplug';
import { z } from 'zod';

const sparkplugId = z.string().refine((v) => sparkplugIdProblem(v) === undefined, {
  error: (issue) => `not a Sparkplug id: ${sparkplugIdProblem(String(issue.input)) ?? ''}`,
});

/**
 * The payload format variables (issue 16): JSON (the default, unchanged), compressed JSON, or
 * Sparkplug B. Listed in ENV_VARS under their own heading.
 */
export const PAYLOAD_ENV_VARS = [
  envVar({
    name: 'PAYLOAD_FORMAT',
    group: 'Payload',
    description:
      'json: the seven JSON topics under TOPIC_ROOT; sparkplug: a Sparkplug B 3.0 edge node (spBv1.0/…, each filler a device; docs/sparkplug.md).',
    allowed: 'json or sparkplug',
    schema: oneOf(['json', 'sparkplug'] as const),
    default: 'json' as const,
  }),
  envVar({
    name: 'PAYLOAD_COMPRESSION',
    group: 'Payload',
    description:
      'Compress the JSON scan messages (deflate: zlib, RFC 1950; gzip: RFC 1952). The bytes mark themselves; the viewer and gateway inflate them. PAYLOAD_FORMAT=json only.',
    allowed: 'none, deflate or gzip',
    schema: oneOf(['none', 'deflate', 'gzip'] as const),
    default: 'none' as const,
  }),
  envVar({
    name: 'SPARKPLUG_GROUP_ID',
    group: 'Payload',
    description: 'Sparkplug group id: the first level after spBv1.0/.',
    allowed: 'a topic level: not empty, no / + # or control characters, at most 256 characters',
    schema: sparkplugId,
    default: 'Packaging',
  }),
  envVar({
    name: 'SPARKPLUG_EDGE_NODE_ID',
    group: 'Payload',
    description:
      'Sparkplug edge node id of this agent; must be unique in the group (two nodes with one id make rebirth storms).',
    allowed: 'a topic level: not empty, no / + # or control characters, at most 256 characters',
    schema: sparkplugId,
    defaultText: '(the MQTT client id)',
  }),
  envVar({
    name: 'SPARKPLUG_HOST_ID',
    group: 'Payload',
    description:
      'Primary host application id: wait for its retained spBv1.0/STATE/<id> to say online before the births, pause while it says offline (Sparkplug 3.0 host awareness).',
    allowed: 'a topic level: not empty, no / + # or control characters, at most 256 characters',
    schema: sparkplugId,
    defaultText: '(unset: publish as soon as connected)',
  }),
] as const;
