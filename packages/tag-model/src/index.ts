export {
  TAGS,
  TAG_GROUP_NAMES,
  InputsSchema,
  OutputsSchema,
  AnalogSchema,
  StatusSchema,
  CountersSchema,
  AlarmsSchema,
  BottleFillerTagsSchema,
} from './tags.js';
export type {
  TagDataType,
  TagRange,
  TagMetadata,
  TagGroupName,
  Inputs,
  Outputs,
  Analog,
  Status,
  Counters,
  Alarms,
  BottleFillerTags,
} from './tags.js';

export {
  DEFAULT_TOPIC_ROOT,
  DEFAULT_MACHINE_ID,
  TOPIC_KINDS,
  MESSAGE_KINDS,
  topicFor,
  connectionTopic,
  subscriptionFilter,
  parseTopic,
} from './topics.js';
export type { TopicKind, MessageKind, TopicOptions, ParsedTopic } from './topics.js';

export {
  MACHINE_ID_PATTERN,
  MAX_TOPIC_ROOT_LENGTH,
  machineIdProblem,
  topicRootProblem,
  natsPortabilityProblem,
  natsPortabilityWarnings,
} from './topic-names.js';

export {
  SCHEMA_VERSION,
  MachineIdSchema,
  TimestampSchema,
  SequenceSchema,
  DataPayloadSchema,
  InputsPayloadSchema,
  OutputsPayloadSchema,
  AnalogPayloadSchema,
  StatusPayloadSchema,
  CountersPayloadSchema,
  AlarmsPayloadSchema,
  ConnectionStatusSchema,
  ConnectionPayloadSchema,
  PAYLOAD_SCHEMAS,
} from './payloads.js';
export type {
  DataPayload,
  InputsPayload,
  OutputsPayload,
  AnalogPayload,
  StatusPayload,
  CountersPayload,
  AlarmsPayload,
  ConnectionStatus,
  ConnectionPayload,
  PayloadByKind,
} from './payloads.js';

export { encodeScan, encodeConnection } from './encode-scan.js';
export type { ScanMeta, ConnectionMeta, EncodedMessage } from './encode-scan.js';

export { parsePayload, formatPayloadError } from './parse-payload.js';
export {
  parseDataPayload,
  parseInputsPayload,
  parseOutputsPayload,
  parseAnalogPayload,
  parseStatusPayload,
  parseCountersPayload,
  parseAlarmsPayload,
  parseConnectionPayload,
} from './parse-kind-payloads.js';
export type {
  PayloadIssue,
  PayloadError,
  ParseSuccess,
  ParseFailure,
  ParseResult,
  ParsePayloadOptions,
  ParseKindOptions,
} from './parse-payload.js';

export { COMMANDS, FAULT_NAMES } from './command-names.js';
export type { CommandName, FaultName } from './command-names.js';
export { RequestIdSchema, CommandSchema, CommandReplySchema } from './command.js';
export type { Command, CommandReply } from './command.js';
export {
  commandTopic,
  commandReplyTopic,
  packmlTopic,
  alarmEventsTopic,
  parseWriteTopic,
} from './command-topics.js';
export type { WriteTopic } from './command-topics.js';
export { parseCommand } from './parse-command.js';
export type {
  CommandParseResult,
  CommandParseSuccess,
  CommandParseFailure,
} from './parse-command.js';
export {
  PACKML_STATES,
  PACKML_STATE_NAMES,
  PACKML_MODES,
  StopReasonSchema,
  PackmlStatusSchema,
  PackmlPayloadSchema,
} from './packml.js';
export type {
  PackmlStateName,
  PackmlModeName,
  StopReason,
  PackmlStatus,
  PackmlPayload,
} from './packml.js';

export { ALARM_STATES, ALARM_EVENT_TYPES, AlarmEventPayloadSchema } from './alarm-event.js';
export type { AlarmStateName, AlarmEventType, AlarmEventPayload } from './alarm-event.js';

export { JSON_SCHEMA_NAMES, toJsonSchema } from './json-schema.js';
export type { JsonSchemaName, JsonSchemaDocument } from './json-schema.js';
