// A side-effect entry point (`import '@ot-mqtt/app-kit/startup-heap'`), separate from the main
// entry on purpose: it must run before any other module of the app is loaded, and a library that
// changed V8 flags merely by being imported would surprise everyone else who imports it.
//
// Loading and compiling an app (zod, RxJS, mqtt.js) allocates in bursts whose survivors make V8
// double the young generation up to 2 × 8 MB, and an idle process never gives that back: ~5 MB of
// the agent's resident memory at the seed's defaults (issue 6, benchmark 5). Growth is held off
// while the app starts and allowed again by `releaseStartupHeapLimitLater()` from the main entry,
// so a fleet or a burst still gets a young generation sized for its allocation rate. V8 reads this
// flag each time it considers growing.
import { setFlagsFromString } from 'node:v8';
import { userChoseSemiSpace } from './user-chose-semi-space.js';

if (!userChoseSemiSpace()) setFlagsFromString('--semi-space-growth-factor=1');
