export { createMqttClient } from './create-mqtt-client.js';
export { createOutboxBudget } from './outbox-budget.js';
export { MqttClientError } from './mqtt-client-error.js';
export { backoffDelay, DEFAULT_RECONNECT } from './backoff.js';
export { assertValidFilter, assertValidTopic, matchingPart, topicMatches } from './topic-filter.js';
export type { MqttClientErrorCode } from './mqtt-client-error.js';
export type { OutboxBudget, OutboxBudgetOptions } from './outbox-budget.js';
export type { ReconnectOptions, ResolvedReconnectOptions } from './backoff.js';
export type {
  ClientEvent,
  ClosedState,
  ConnectedState,
  ConnectingState,
  ConnectionState,
  DropReason,
  ReconnectingState,
} from './connection-state.js';
export type {
  CloseOptions,
  MqttClient,
  MqttClientStats,
  MqttMessage,
  ObserveOptions,
  PublishOptions,
  PublishProperties,
} from './mqtt-client.js';
export type {
  ClientClock,
  MqttClientOptions,
  OutboxOptions,
  TlsOptions,
  WillOptions,
} from './mqtt-client-options.js';
