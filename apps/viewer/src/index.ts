// The viewer's core without the terminal, for tools and tests that drive it directly. The app is
// `main.ts`; decoding and tracking live in @ot-mqtt/scan-monitor.
export { createViewer } from './create-viewer.js';
export type { Viewer, ViewerOptions, ViewerOutput } from './create-viewer.js';
export { FLAGS, LOG_LEVELS, VARIABLES, VIEWER_MODES, helpText, parseConfig } from './config.js';
export type {
  ConfigResult,
  LogLevel,
  VariableName,
  VariableSpec,
  ViewerConfig,
  ViewerMode,
} from './config.js';
