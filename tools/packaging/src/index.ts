export { run, describeFailure } from './run.js';
export type { RunResult, RunOptions } from './run.js';
export { findLibraries, REPO_ROOT } from './libraries.js';
export type { Library } from './libraries.js';
