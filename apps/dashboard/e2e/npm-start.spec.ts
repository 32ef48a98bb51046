import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectValueToChange,
  launchChromium,
  liveValue,
  missingGateway,
  REPO_ROOT,
  screenshot,
  waitFor,
} from './stack.test-helper.js';

const START_ALL = join(REPO_ROOT, 'infra', 'mosquitto', 'scripts', 'start-all.mjs');
const VIEWER_MAIN = join(REPO_ROOT, 'apps', 'viewer', 'dist', 'main.js');
const BROKER_DIST = join(REPO_ROOT, 'infra', 'mosquitto', 'dist', 'index.js');
const skip =
  missingGateway() ??
  [VIEWER_MAIN, BROKER_DIST]
    .filter((file) => !existsSync(file))
    .map((file) => `${file} missing: run \`npx nx run-many -t build\``)[0];
if (skip) console.warn(`dashboard npm-start e2e skipped: ${skip}`);

const FILLERS = 12;
/**
 * `DASHBOARD_README_PICTURES=<minutes>`: let the line run that long first (bottles/min a real rate,
 * trends with history) and copy the two pictures to docs/images/ — how README's are retaken.
 */
const README_MINUTES = Number(process.env.DASHBOARD_README_PICTURES ?? 0);
const PUBLISH_INTERVAL_S = 1;

// What a user gets from `npm start` on a machine whose Mosquitto has no WebSocket listener
// (Debian's packaged service on 1883): npm start reuses that broker, puts its WebSocket relay in
// front of it for the page, and prints the dashboard's URL. The page must show the live line over
// the relay, and a command from the page (MQTT 5: response topic, correlation data, expiry) must
// cross the relay both ways. The README's pictures are taken here, from this clean stack.
describe.skipIf(skip !== undefined)('npm start next to a broker without WebSockets', () => {
  let broker: RunningMosquitto;
  let start: ChildProcess;
  const output: string[] = [];
  let dashboardUrl: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(
    async () => {
      const runDir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-tcp-broker-'));
      const config = join(runDir, 'tcp-only.conf');
      writeFileSync(config, 'listener 1883\nprotocol mqtt\nallow_anonymous true\n');
      broker = await startMosquitto({ configFile: config, runDir, persistence: false });
      const work = mkdtempSync(join(tmpdir(), 'dashboard-e2e-npm-start-'));
      start = spawn(process.execPath, [START_ALL, '--no-build'], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          MQTT_BROKER_HOST: '127.0.0.1',
          MQTT_BROKER_PORT: String(broker.ports[1883]),
          MQTT_WS_PORT: String(await freePort()),
          GATEWAY_PORT: String(await freePort()),
          HISTORIAN_DB: join(work, 'historian.sqlite'),
          OT_MQTT_RUN_DIR: work,
          FILLER_COUNT: String(FILLERS),
          PUBLISH_INTERVAL: String(PUBLISH_INTERVAL_S),
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [start.stdout, start.stderr])
        stream?.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));
      const line = await waitFor(
        () => output.find((l) => /^\[start\]\s+dashboard: /u.test(l)),
        "npm start's dashboard line",
        60_000,
      );
      expect(output.join('\n')).toMatch(/\[relay\]\s+the broker has no WebSocket listener/u);
      dashboardUrl = /(http:\/\/\S+)/u.exec(line)![1]!;
      // History to backfill the detail's trends from (for README's pictures: minutes of it).
      const scans = Math.max(10, (README_MINUTES * 60) / PUBLISH_INTERVAL_S);
      await waitFor(
        async () => {
          const response = await fetch(
            `${dashboardUrl}api/machines/filler-0001/scans?limit=100000`,
          ).catch(() => undefined);
          return response?.ok && ((await response.json()) as unknown[]).length >= scans;
        },
        `the gateway to store ${scans} scans of filler-0001`,
        30_000 + scans * PUBLISH_INTERVAL_S * 2_000,
      );
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (error) => errors.push(error.message));
    },
    120_000 + README_MINUTES * 120_000,
  );

  afterAll(async () => {
    await browser?.close();
    if (start && start.exitCode === null) {
      const exited = new Promise((resolve) => start.once('exit', resolve));
      start.kill('SIGTERM');
      const timer = setTimeout(() => start.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await broker?.stop();
  });

  it('the printed URL shows the whole fleet live over the relay, with no banner', async () => {
    await page.goto(dashboardUrl);
    await expect
      .poll(() => page.getByTestId('broker-status').getAttribute('data-status'), {
        timeout: 20_000,
      })
      .toBe('connected');
    await waitFor(
      async () => (await page.locator('[data-row-machine]').count()) === FILLERS,
      `${FILLERS} machines listed`,
    );
    await expect
      .poll(() => page.getByTestId('gateway-status').getAttribute('data-status'))
      .toBe('up');
    await expectValueToChange(page, 'filler-0001', 'FillLevel');
    expect(await page.locator('[data-stale="true"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a command crosses the relay both ways over MQTT 5: the fault shows on the overview', async () => {
    await page.goto(`${dashboardUrl}#/machine/filler-0003`);
    await page.getByTestId('fault-select').selectOption('jamValve');
    await page.locator('button[data-command="inject-fault"]').click();
    const newest = page.locator('[data-testid="command-log"] li').first();
    await waitFor(
      async () => (await newest.getAttribute('data-status')) === 'accepted',
      'the inject-fault reply in the page',
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-0003', 'Overfill'))?.text === 'ACTIVE',
      'Overfill on filler-0003 after the jammed valve',
    );
    await page.goto(dashboardUrl);
    await waitFor(
      async () =>
        (
          await page.locator('[data-machine="filler-0003"][data-field="state"]').textContent()
        )?.includes('FAULTED'),
      'filler-0003 faulted on the overview',
    );
    // A fresh page: every machine's first scan in, the once-a-second summary caught up.
    await waitFor(
      async () =>
        (await page.getByText('waiting for data').count()) === 0 &&
        (await page.getByTestId('fleet-summary').textContent())?.includes('1 faulted') &&
        (await page.getByTestId('alarm-banner').count()) === 1 &&
        // Needs attention first: the faulted machine, then the others by id.
        (
          await page.$$eval('[data-row-machine]', (rows) =>
            rows.map((r) => r.getAttribute('data-row-machine')).join(','),
          )
        ).startsWith('filler-0003,filler-0001,filler-0002,filler-0004'),
      'every machine live, the summary and order counting the faulted one, the alarm banner',
    );
    await readmePicture(page, 'dashboard-overview');
    expect(errors).toEqual([]);
  });

  it('the machine detail opens with its trends backfilled from the gateway', async () => {
    await page.setViewportSize({ width: 1400, height: 1250 });
    await page.goto(`${dashboardUrl}#/machine/filler-0001`);
    await waitFor(
      async () =>
        (await page.getByTestId('history-status').getAttribute('data-status')) === 'loaded',
      'history loaded',
    );
    await page.getByRole('button', { name: '15 min' }).click();
    await page.locator('[data-trend="FillLevel"] canvas').first().waitFor();
    await readmePicture(page, 'dashboard-machine-detail');
    expect(errors).toEqual([]);
  });
});

/** A screenshot; with DASHBOARD_README_PICTURES also README's picture of the same name. */
async function readmePicture(page: Page, name: string): Promise<void> {
  const path = await screenshot(page, name);
  if (README_MINUTES > 0) copyFileSync(path, join(REPO_ROOT, 'docs', 'images', `${name}.png`));
}
