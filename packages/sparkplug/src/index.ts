export { DATA_TYPES, dataTypeName } from './data-types.js';
export type { DataTypeName, DataTypeCode } from './data-types.js';

export type { MetricValue, PropertyValue, SparkplugMetric, SparkplugPayload } from './payload.js';
export { encodePayload } from './encode-payload.js';
export { decodePayload } from './decode-payload.js';
export { coerceMetricValue } from './metric-value.js';
export { SparkplugDecodeError } from './sparkplug-decode-error.js';

export {
  SPARKPLUG_NAMESPACE,
  MESSAGE_TYPES,
  sparkplugIdProblem,
  sparkplugTopic,
  hostStateTopic,
  parseSparkplugTopic,
  encodeHostState,
  parseHostState,
} from './topics.js';
export type { MessageType, SparkplugAddress, ParsedSparkplugTopic, HostState } from './topics.js';

export { SEQ_MODULUS, nextSeq } from './sequence.js';

export {
  ALIAS_STRIDE,
  FILLER_METRICS,
  COMMAND_METRICS,
  deviceAlias,
  fillerBirthMetrics,
  changedFillerMetrics,
  fillerTagsFromMetrics,
  parseDeviceCommand,
} from './filler-metrics.js';
export type {
  FillerMetricDefinition,
  CommandMetricDefinition,
  DeviceCommandWrite,
} from './filler-metrics.js';

export {
  NODE_CONTROL_REBIRTH,
  BD_SEQ,
  createEdgeNodeSession,
  isRebirthRequest,
  rebirthRequest,
} from './edge-node-session.js';
export type {
  SparkplugMessage,
  EdgeNodeSessionOptions,
  EdgeNodeSession,
} from './edge-node-session.js';

export { createHostSession } from './host-session.js';
export type { ResolvedMetric, HostEvent, HostSessionOptions, HostSession } from './host-session.js';

export {
  PAYLOAD_COMPRESSIONS,
  COMPRESSED_CONTENT_TYPES,
  MAX_INFLATED_BYTES,
  compressPayload,
  detectCompression,
  inflatePayload,
} from './payload-compression.js';
export type { PayloadCompression } from './payload-compression.js';
