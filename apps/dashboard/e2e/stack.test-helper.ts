import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMosquitto, freePort, startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe } from 'vitest';

export const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(APP_ROOT, 'dist');
export const REPO_ROOT = join(APP_ROOT, '..', '..');
export const AGENT_MAIN = join(REPO_ROOT, 'apps', 'agent', 'dist', 'main.js');
export const GATEWAY_MAIN = join(REPO_ROOT, 'apps', 'gateway', 'dist', 'main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** Where the tests save screenshots (an operator's-eye check, and the README's pictures). */
export const SCREENSHOTS = join(APP_ROOT, 'e2e', 'screenshots');

/** Why these tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CHROMIUM))
    return `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (!findMosquitto()) return 'Mosquitto not installed (apt-get install -y mosquitto)';
  if (!existsSync(join(DIST, 'index.html')))
    return `${DIST} missing: run \`npx nx build dashboard\``;
  if (!existsSync(AGENT_MAIN)) return `${AGENT_MAIN} missing: run \`npx nx build agent\``;
  return undefined;
}

/** Like {@link missingPrerequisite}, for the tests that need the gateway too. */
export function missingGateway(): string | undefined {
  return (
    missingPrerequisite() ??
    (existsSync(GATEWAY_MAIN) ? undefined : `${GATEWAY_MAIN} missing: run \`npx nx build gateway\``)
  );
}

/** Polls `predicate` until it holds; fails naming `what` after `timeoutMs` (never a fixed sleep). */
export async function waitFor<T>(
  predicate: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A spawned app with its output kept for failure messages. */
export interface App {
  readonly child: ChildProcess;
  readonly output: string[];
  /** SIGTERM and wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const children = new Set<ChildProcess>();

export function startNode(main: string, env: NodeJS.ProcessEnv): App {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, output, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** Ends every process this helper started that still runs (by PID, SIGKILL). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
}

/** Starts the agent against `broker` (fleet when `fillers` > 1). */
export function startAgent(broker: RunningMosquitto, env: NodeJS.ProcessEnv = {}): App {
  return startNode(AGENT_MAIN, {
    MQTT_BROKER_HOST: '127.0.0.1',
    MQTT_BROKER_PORT: String(broker.ports[1883]),
    PUBLISH_INTERVAL: '0.5',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/** Whether the agent in this checkout applies commands (issue 12's handler under apps/agent/src/commands*). */
export function agentHandlesCommands(): boolean {
  const src = join(REPO_ROOT, 'apps', 'agent', 'src');
  return existsSync(src) && readdirSync(src).some((name) => name.startsWith('command'));
}

/** The gateway (apps/gateway) on a free port with its own SQLite file, serving the built page. */
export async function startGateway(
  broker: RunningMosquitto,
  env: NodeJS.ProcessEnv = {},
): Promise<App & { url: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-gateway-'));
  const app = startNode(GATEWAY_MAIN, {
    MQTT_BROKER_HOST: '127.0.0.1',
    MQTT_BROKER_PORT: String(broker.ports[1883]),
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    HISTORIAN_DB: join(dir, 'historian.sqlite'),
    DASHBOARD_MQTT_URL: broker.wsUrl ?? '',
    DASHBOARD_DIR: DIST,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(
    async () => (await fetch(`${url}healthz`).catch(() => undefined))?.ok,
    `the gateway on ${url} (output: ${app.output.join(' | ')})`,
  );
  return { ...app, url };
}

/** A real Mosquitto with the development config (TCP + WebSocket listeners) on free ports. */
export async function startBroker(): Promise<RunningMosquitto> {
  const runDir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-broker-'));
  return startMosquitto({ runDir, persistence: false });
}

/**
 * Serves the built page the way the gateway does (static files + `/dashboard-config.json`
 * proxied to `gatewayUrl`) with Vite's preview server, in this process.
 */
export async function servePage(
  gatewayUrl = 'http://127.0.0.1:9',
): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const proxy = Object.fromEntries(
    ['/api', '/healthz', '/readyz', '/dashboard-config.json'].map((path) => [
      path,
      { target: gatewayUrl, changeOrigin: true },
    ]),
  );
  const server: PreviewServer = await preview({
    root: APP_ROOT,
    configFile: false,
    logLevel: 'silent',
    build: { outDir: DIST },
    preview: { host: '127.0.0.1', port, strictPort: true, proxy },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs (and `extraArgs`). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** Text of every live value of one machine's tag on the page (the testing hooks' contract). */
export async function liveValue(
  page: Page,
  machineId: string,
  tag: string,
): Promise<{ text: string; stale: boolean } | undefined> {
  const locator = page.locator(`[data-machine="${machineId}"][data-tag="${tag}"]`).first();
  if ((await locator.count()) === 0) return undefined;
  return {
    text: (await locator.textContent()) ?? '',
    stale: (await locator.getAttribute('data-stale')) === 'true',
  };
}

/** Saves a screenshot under e2e/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Serious and critical axe-core violations of the page as it stands (rule id: what and where). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{
            violations: Array<{
              id: string;
              impact: string;
              help: string;
              nodes: Array<{ target: unknown[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      where: v.nodes.slice(0, 3).map((n) => String(n.target[0])),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.where.join(', ')}`);
}

/** What {@link startStack} started; `stop()` ends all of it (the broker as it is then). */
export interface Stack {
  /** Mutable: a test that restarts the broker puts the new one here, so `stop()` ends that. */
  broker: RunningMosquitto;
  readonly agent: App;
  /** The gateway serving the page, when asked for. */
  readonly gateway: (App & { url: string }) | undefined;
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught page errors (`pageerror`), for `expect(errors).toEqual([])`. */
  readonly errors: string[];
  /** The page's URL: the gateway's `/`, or Vite's preview with `?broker=` naming the broker. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** FILLER_COUNT of the agent. */
  readonly fillers: number;
  /** PUBLISH_INTERVAL of the agent, seconds. */
  readonly publishInterval: number;
  /** Serve the page from a real gateway with this extra environment (else Vite's preview, no gateway). */
  readonly gateway?: NodeJS.ProcessEnv;
  /** Before Chromium starts: wait until the gateway stored this many scans of filler-0001 (history to backfill). */
  readonly storedScans?: number;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Opened once the stack is up: a hash route such as `#/` or `#/machine/filler-0001` (default: nothing opened). */
  readonly open?: string;
}

/**
 * The stack the end-to-end specs drive: a real Mosquitto, the agent with a fleet, the page (from
 * the gateway or Vite's preview) and Chromium with one page whose errors are collected.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const broker = await startBroker();
  const gateway = options.gateway ? await startGateway(broker, options.gateway) : undefined;
  const agent = startAgent(broker, {
    FILLER_COUNT: String(options.fillers),
    PUBLISH_INTERVAL: String(options.publishInterval),
  });
  const server = gateway ? undefined : await servePage();
  if (gateway && options.storedScans) {
    const wanted = options.storedScans;
    await waitFor(async () => {
      const response = await fetch(`${gateway.url}api/machines/filler-0001/scans?limit=100`).catch(
        () => undefined,
      );
      const scans = response?.ok ? ((await response.json()) as unknown[]) : [];
      return scans.length >= wanted;
    }, `the gateway to store ${wanted} scans of filler-0001`);
  }
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const url = gateway ? gateway.url : `${server!.url}?broker=${encodeURIComponent(broker.wsUrl!)}`;
  if (options.open !== undefined) await page.goto(`${url}${options.open}`);
  const stack: Stack = {
    broker,
    agent,
    gateway,
    browser,
    page,
    errors,
    url,
    // `this`: the broker as it is then, also on a copy of this object (see describeWithStack).
    async stop(this: Stack) {
      await browser.close();
      await server?.close();
      await agent.stop();
      await gateway?.stop();
      await this.broker.stop();
      killAll();
    },
  };
  return stack;
}

/**
 * The spec files' one setup: a `describe` that starts a {@link startStack} stack before its tests
 * and stops it after them, or is skipped (saying why) where Chromium, Mosquitto, the built page,
 * the agent or — when `options.gateway` is given — the gateway are missing. `body` gets the stack
 * object, whose fields (`stack.page`, `stack.url`, …) are there once the tests run.
 */
export function describeWithStack(
  title: string,
  options: StackOptions,
  body: (stack: Stack) => void,
): void {
  const skip = options.gateway ? missingGateway() : missingPrerequisite();
  if (skip) console.warn(`dashboard e2e "${title}" skipped: ${skip}`);
  describe.skipIf(skip !== undefined)(title, () => {
    // Filled in place once started, so `body` can hold it from the start.
    const stack = {} as Stack;
    let started = false;
    beforeAll(async () => {
      Object.assign(stack, await startStack(options));
      started = true;
    });
    afterAll(() => (started ? stack.stop() : undefined));
    body(stack);
  });
}

/** Waits until the overview's summary counts `count` machines. */
export function waitForMachines(page: Page, count: number, timeoutMs = 30_000): Promise<true> {
  return waitFor(
    async () => (await page.getByTestId('machine-count').textContent()) === String(count),
    `${count} machines on the overview`,
    timeoutMs,
  );
}

/**
 * Waits until `machineId`'s `tag` shows a value, then until it shows another one, live (not
 * stale): the values move. Returns the second text.
 */
export async function expectValueToChange(
  page: Page,
  machineId: string,
  tag: string,
  timeoutMs = 30_000,
): Promise<string> {
  const first = await waitFor(
    () => liveValue(page, machineId, tag),
    `a ${tag} value of ${machineId}`,
  );
  const next = await waitFor(
    async () => {
      const now = await liveValue(page, machineId, tag);
      return now !== undefined && now.text !== first.text && !now.stale ? now : undefined;
    },
    `${tag} of ${machineId} to change`,
    timeoutMs,
  );
  return next.text;
}
