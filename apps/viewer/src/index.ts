// The viewer's building blocks, for tools that want its validation, tracking or formatting without
// the terminal (a dashboard backend, a test harness). The app itself is `main.ts`.
export { createViewer } from './create-viewer.js';
export type { Viewer, ViewerOptions, ViewerOutput } from './create-viewer.js';
export { createMachineTracker } from './machine-tracker.js';
export type {
  ConnectionObservation,
  MachineStats,
  MachineTracker,
  MachineTrackerOptions,
  Observation,
  TrackerEvent,
} from './machine-tracker.js';
export { createLatencyWindow } from './latency-window.js';
export type { LatencyWindow } from './latency-window.js';
export { decodeMessage } from './decode-message.js';
export type {
  DecodedMessage,
  DecodeOptions,
  InvalidMessage,
  ReceivedMessage,
  ValidMessage,
} from './decode-message.js';
export { formatInvalidMessage, formatPrettyMessage } from './format-message.js';
export { formatNdjson } from './format-ndjson.js';
export { formatSummary } from './format-summary.js';
export type { SummaryInput } from './format-summary.js';
export { createPalette } from './ansi.js';
export type { Palette } from './ansi.js';
export { FLAGS, LOG_LEVELS, VARIABLES, VIEWER_MODES, helpText, parseConfig } from './config.js';
export type {
  ConfigResult,
  LogLevel,
  VariableName,
  VariableSpec,
  ViewerConfig,
  ViewerMode,
} from './config.js';
