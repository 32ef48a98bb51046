/** The cleanup hook vitest hands a builder fixture (`{ onCleanup }`). */
export interface FixtureHooks {
  readonly onCleanup: (cleanup: () => void | Promise<void>) => void;
}

/**
 * A test-scoped fixture whose value is a factory: everything it makes (clients, subscribers,
 * proxies…) is ended with `end` when the test ends, also when it failed — the one shape of every
 * "start something for this test" fixture, instead of an array and a cleanup loop per fixture.
 *
 * @example
 * ```ts
 * import { brokerTest, ownedFixture } from '@ot-mqtt/broker/testing';
 * import { connectAsync } from 'mqtt';
 *
 * const it = brokerTest.extend(
 *   'connect',
 *   ownedFixture(connectAsync, (client) => client.endAsync()),
 * );
 * it('publishes', async ({ broker, connect }) => {
 *   const client = await connect(broker.url);
 *   await client.publishAsync('a/b', 'x');
 * });
 * ```
 */
export function ownedFixture<A extends unknown[], T>(
  start: (...args: A) => T,
  end: (value: Awaited<T>) => void | Promise<void>,
) {
  return async (
    // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from the pattern
    {}: object,
    { onCleanup }: FixtureHooks,
  ): Promise<(...args: A) => T> => {
    const owned: Awaited<T>[] = [];
    onCleanup(async () => {
      await Promise.all(owned.map((value) => end(value)));
    });
    return (...args: A): T => {
      const value = start(...args);
      if (!(value instanceof Promise)) {
        owned.push(value as Awaited<T>);
        return value;
      }
      return value.then((settled: Awaited<T>) => {
        owned.push(settled);
        return settled;
      }) as T;
    };
  };
}
