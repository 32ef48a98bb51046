import { run, waitFor, type Running } from './processes.test-helper.js';

/** One message as `mosquitto_sub -F '%t %q %r %p'` prints it. */
export interface SubLine {
  readonly topic: string;
  readonly qos: number;
  readonly retain: boolean;
  readonly payload: string;
}

/** A `mosquitto_sub` process: the third-party client an integrator would point at the broker. */
export interface ThirdPartySubscriber {
  readonly process: Running;
  /** Messages received so far (debug lines left out). */
  messages(): SubLine[];
}

const parse = (line: string): SubLine | undefined => {
  const match = /^(\S+) (\d) (\d) (.*)$/.exec(line);
  if (!match) return undefined;
  const [, topic = '', qos = '', retain = '', payload = ''] = match;
  return { topic, qos: Number(qos), retain: retain === '1', payload };
};

/**
 * Spawns `mosquitto_sub -q 1` on `filter` and resolves once its subscription is live, so nothing
 * published afterwards can be missed. mosquitto_sub flushes each message it prints but not its
 * `-d` debug lines (they sit in the pipe's buffer), so the SUBACK is not observable: instead it
 * also subscribes to a probe topic, after `filter`, and a probe is published until one arrives —
 * the broker handles a client's SUBSCRIBEs in order, so then `filter` is live too.
 */
export async function subscribeWithMosquittoSub(
  host: string,
  port: number,
  filter: string,
  timeoutMs = 20_000,
): Promise<ThirdPartySubscriber> {
  const probe = `ot-mqtt-e2e/probe/${process.pid}-${Math.random().toString(36).slice(2)}`;
  const sub = run('mosquitto_sub', 'mosquitto_sub', [
    ...['-h', host, '-p', String(port)],
    ...['-q', '1', '-t', filter, '-t', probe],
    ...['-F', '%t %q %r %p'],
  ]);
  const deadline = Date.now() + timeoutMs;
  const arrived = () => sub.stdout.some((l) => l.startsWith(probe));
  while (!arrived()) {
    if (!sub.alive()) throw new Error(`mosquitto_sub ended before subscribing${sub.dump()}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms: mosquitto_sub to subscribe${sub.dump()}`);
    await mosquittoPub(host, port, ['-q', '1', '-t', probe, '-m', 'probe']);
    await waitFor(
      () => arrived() || Date.now() > deadline,
      2000,
      () => '',
    ).catch(() => {});
  }
  const root = filter.replace(/#$/, '');
  return {
    process: sub,
    messages: () =>
      sub.stdout
        .filter((l) => l.startsWith(root))
        .map(parse)
        .filter((m): m is SubLine => m !== undefined),
  };
}

/**
 * Every retained message under `filter`, as a new subscriber receives them on subscribing:
 * `mosquitto_sub --retained-only` exits at the first live (non-retained) message.
 */
export async function retainedMessages(
  host: string,
  port: number,
  filter: string,
  timeoutMs = 20_000,
): Promise<SubLine[]> {
  const sub = run('mosquitto_sub --retained-only', 'mosquitto_sub', [
    ...['-h', host, '-p', String(port)],
    ...['-q', '1', '-t', filter, '--retained-only'],
    ...['-F', '%t %q %r %p'],
  ]);
  const code = await sub.exit(timeoutMs);
  if (code !== 0) throw new Error(`mosquitto_sub --retained-only exited ${code}${sub.dump()}`);
  return sub.stdout.map(parse).filter((m): m is SubLine => m !== undefined);
}

/** Runs `mosquitto_pub` with `args` (after host and port) and resolves when it exits 0. */
export async function mosquittoPub(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs = 20_000,
): Promise<void> {
  const pub = run('mosquitto_pub', 'mosquitto_pub', ['-h', host, '-p', String(port), ...args]);
  const code = await pub.exit(timeoutMs);
  if (code !== 0) throw new Error(`mosquitto_pub ${args.join(' ')} exited ${code}${pub.dump()}`);
}
