import { test } from 'vitest';
import {
  startSecureMosquitto,
  type SecureMosquitto,
  type StartSecureMosquittoOptions,
} from '../security/start-secure-mosquitto.js';
import {
  startMosquitto,
  type RunningMosquitto,
  type StartMosquittoOptions,
} from '../start-mosquitto.js';
import { startMosquittoSub, type MosquittoSub, type MosquittoSubOptions } from './mosquitto-sub.js';
import { ownedFixture, type FixtureHooks } from './owned-fixture.js';

/** The fixtures {@link createBrokerTest} adds to a vitest `test`. */
export interface BrokerFixtures {
  /** One Mosquitto for the whole test file, started by the first test that asks for it. */
  readonly broker: RunningMosquitto;
  /** A Mosquitto of this test's own (crash, restart, persistence tests). */
  readonly freshBroker: RunningMosquitto;
  /** Starts a Mosquitto with other options (another config file…) for this test. */
  readonly startBroker: (options?: StartMosquittoOptions) => Promise<RunningMosquitto>;
  /** Starts the production profile (TLS, passwords, ACL) for this test. */
  readonly startSecureBroker: (options: StartSecureMosquittoOptions) => Promise<SecureMosquitto>;
  /** Starts `mosquitto_sub` ({@link startMosquittoSub}) for this test. */
  readonly mosquittoSub: (options: MosquittoSubOptions) => Promise<MosquittoSub>;
}

/**
 * A vitest `test` with real-broker fixtures ({@link BrokerFixtures}). Every broker and subscriber a
 * fixture started is ended by pid when its scope ends — the test, or the file for `broker` — also
 * when the test failed; a broker's `restart()` is tracked the same way. Brokers run `options`
 * (default: the development profile `config/mosquitto.conf` on ephemeral 127.0.0.1 ports).
 *
 * @example
 * ```ts
 * const it = createBrokerTest({ persistence: true });
 * it('keeps the session across a crash', async ({ freshBroker, mosquittoSub }) => {
 *   const sub = await mosquittoSub({ url: freshBroker.url, topics: ['plc/bottlefiller/#'] });
 *   // ... publish ...
 *   await expect.poll(() => sub.messages().length).toBe(7);
 * });
 * ```
 */
export function createBrokerTest(options: StartMosquittoOptions = {}) {
  return (
    test
      // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from the pattern
      .extend('broker', { scope: 'file' }, async ({}, hooks) =>
        brokersOf(hooks)(startMosquitto(options)),
      )
      // eslint-disable-next-line no-empty-pattern -- as above
      .extend('freshBroker', async ({}, hooks) => brokersOf(hooks)(startMosquitto(options)))
      // eslint-disable-next-line no-empty-pattern -- as above
      .extend('startBroker', async ({}, hooks) => {
        const own = brokersOf(hooks);
        return (started: StartMosquittoOptions = options) => own(startMosquitto(started));
      })
      // eslint-disable-next-line no-empty-pattern -- as above
      .extend('startSecureBroker', async ({}, hooks) => {
        const own = brokersOf(hooks);
        return (started: StartSecureMosquittoOptions) => own(startSecureMosquitto(started));
      })
      .extend(
        'mosquittoSub',
        ownedFixture(startMosquittoSub, (sub) => sub.stop()),
      )
  );
}

/**
 * {@link createBrokerTest} with the development profile:
 * `import { brokerTest as it } from '@ot-mqtt/broker/testing'`.
 */
export const brokerTest = createBrokerTest();

/**
 * What a broker fixture starts, tracked — with whatever each `restart()` starts — and killed when
 * the fixture's scope ends.
 */
function brokersOf({ onCleanup }: FixtureHooks) {
  const brokers: RunningMosquitto[] = [];
  onCleanup(() => killAll(brokers));
  return async <B extends RunningMosquitto>(started: Promise<B>): Promise<B> =>
    tracked(await started, brokers);
}

/** Records `broker` (and whatever its `restart()` starts) for the fixture's cleanup. */
function tracked<B extends RunningMosquitto>(broker: B, into: RunningMosquitto[]): B {
  into.push(broker);
  return {
    ...broker,
    restart: async () => tracked(await broker.restart(), into),
  };
}

async function killAll(brokers: readonly RunningMosquitto[]): Promise<void> {
  await Promise.all(brokers.map((b) => b.kill()));
}
