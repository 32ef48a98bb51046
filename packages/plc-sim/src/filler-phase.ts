/**
 * What the filler's automatic sequence is doing right now.
 *
 * - `stopped` — not running (stopped, manual mode or faulted); the sequence holds where it was.
 * - `indexing` — conveyor moving bottles one pitch: infeed → filler → capper → discharge.
 * - `working` — conveyor stopped, filling and/or capping in progress.
 * - `waiting` — running, but no bottle to work on: waiting for one at the infeed.
 */
export type FillerPhase = 'stopped' | 'indexing' | 'working' | 'waiting';
