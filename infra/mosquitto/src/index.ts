export { adaptConfig } from './adapt-config.js';
export type { AdaptConfigOptions } from './adapt-config.js';
export { freePort } from './free-port.js';
export { canConnect, waitForPort } from './wait-for-port.js';
export { CONFIG_DIR, findMosquitto, startMosquitto } from './start-mosquitto.js';
export type { RunningMosquitto, StartMosquittoOptions } from './start-mosquitto.js';
