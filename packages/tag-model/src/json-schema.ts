import { z } from 'zod';
import { AlarmEventPayloadSchema } from './alarm-event.js';
import { CommandReplySchema, CommandSchema } from './command.js';
import { PackmlPayloadSchema } from './packml.js';
import { PAYLOAD_SCHEMAS } from './payloads.js';
import { BottleFillerTagsSchema } from './tags.js';
import { MESSAGE_KINDS, type MessageKind } from './topics.js';

/**
 * Names of the JSON Schema documents shipped in the package as `schemas/<name>.schema.json`: one
 * per message kind, `tags` for the bare {@link BottleFillerTags} object, and the write path:
 * `command`, `command-reply` and `packml`; and the alarm server's `alarm-event`.
 */
export type JsonSchemaName =
  MessageKind | 'tags' | 'command' | 'command-reply' | 'packml' | 'alarm-event';

/** Every name in {@link JsonSchemaName}, in file order. */
export const JSON_SCHEMA_NAMES: readonly JsonSchemaName[] = [
  ...MESSAGE_KINDS,
  'tags',
  'command',
  'command-reply',
  'packml',
  'alarm-event',
];

const WRITE_PATH_SCHEMAS = {
  command: CommandSchema,
  'command-reply': CommandReplySchema,
  packml: PackmlPayloadSchema,
  'alarm-event': AlarmEventPayloadSchema,
} as const;

/** A JSON Schema (draft 2020-12) document as plain JSON data. */
export type JsonSchemaDocument = { readonly [keyword: string]: unknown };

/**
 * Generates the JSON Schema (draft 2020-12) of a payload from its zod schema, for consumers in
 * other languages (Python, C#, Node-RED, a historian's ingest rule). The same documents ship in the
 * package as `@ot-mqtt/tag-model/schemas/<name>.schema.json`. Tags carry `description` and, for
 * numbers, `unit`, `minimum` and `maximum`.
 *
 * @param name - A message kind, or `'tags'` for the bare tag set.
 * @returns The JSON Schema document.
 *
 * @example
 * ```ts
 * import { toJsonSchema } from '@ot-mqtt/tag-model';
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('analog.schema.json', JSON.stringify(toJsonSchema('analog'), null, 2));
 * ```
 */
export function toJsonSchema(name: JsonSchemaName): JsonSchemaDocument {
  const schema =
    name === 'tags'
      ? BottleFillerTagsSchema
      : name in WRITE_PATH_SCHEMAS
        ? WRITE_PATH_SCHEMAS[name as keyof typeof WRITE_PATH_SCHEMAS]
        : PAYLOAD_SCHEMAS[name as MessageKind];
  return z.toJSONSchema(schema, { target: 'draft-2020-12' }) as JsonSchemaDocument;
}
