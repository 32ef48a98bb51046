export { createScanMonitor } from './scan-monitor.js';
export type { MonitoredMessage, ScanMonitor, ScanMonitorOptions } from './scan-monitor.js';

export { decodeMessage } from './decode-message.js';
export type {
  DecodedMessage,
  DecodeOptions,
  InvalidMessage,
  ReceivedMessage,
  ValidMessage,
} from './decode-message.js';

export { createMachineTracker } from './machine-tracker.js';
export type {
  ConnectionObservation,
  MachineTracker,
  MachineTrackerOptions,
  Observation,
} from './machine-tracker.js';
export type { MachineStats, TrackerTotals } from './machine-stats.js';
export type { TrackerEvent } from './tracker-event.js';
export type { PlausibilityOptions, SuspectReason } from './plausibility.js';

export { createLatencyWindow } from './latency-window.js';
export { percentile } from './percentile.js';
export type { LatencyWindow } from './latency-window.js';
export { createRateCounter } from './rate-counter.js';
export type { RateCounter } from './rate-counter.js';
export { createIntervalEstimator } from './interval-estimator.js';
export type { IntervalEstimator } from './interval-estimator.js';

export { escapeControl, escapeJsonControl } from './escape-control.js';

export { ALARM_NAMES, createAlarmLifecycle } from './alarm-lifecycle.js';
export type {
  AcknowledgeResult,
  AlarmEvent,
  AlarmLifecycle,
  AlarmLifecycleOptions,
  AlarmName,
  AlarmRecord,
  AlarmState,
} from './alarm-lifecycle.js';
export { computeOee, oeeByHour, shiftWindow } from './oee.js';
export type { OeeOptions, OeeResult, OeeSample, ShiftPattern } from './oee.js';
export { controlTopicKind, decodeControlMessage } from './decode-control-message.js';
export type { ControlHead, ControlKind, ControlMessage } from './decode-control-message.js';
