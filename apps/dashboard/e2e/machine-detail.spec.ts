import type { RunningMosquitto } from '@ot-mqtt/broker';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAll,
  launchChromium,
  liveValue,
  missingGateway,
  screenshot,
  seriousAccessibilityViolations,
  startAgent,
  startBroker,
  startGateway,
  waitFor,
  type App,
} from './stack.test-helper.js';

const skip = missingGateway();
if (skip) console.warn(`dashboard machine-detail e2e skipped: ${skip}`);

describe.skipIf(skip !== undefined)('machine detail in Chromium, served by the gateway', () => {
  let broker: RunningMosquitto;
  let agent: App;
  let gateway: App & { url: string };
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    broker = await startBroker();
    gateway = await startGateway(broker);
    agent = startAgent(broker, { FILLER_COUNT: '2', PUBLISH_INTERVAL: '0.5' });
    // History to backfill from: the gateway has stored a few seconds of scans.
    await waitFor(async () => {
      const response = await fetch(`${gateway.url}api/machines/filler-0001/scans?limit=100`).catch(
        () => undefined,
      );
      const scans = response?.ok ? ((await response.json()) as unknown[]) : [];
      return scans.length >= 8;
    }, 'the gateway to store 8 scans of filler-0001');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await gateway?.stop();
    await broker?.stop();
    killAll();
  });

  it('opens with trends backfilled from the gateway, then extends them live', async () => {
    await page.goto(`${gateway.url}#/machine/filler-0001`);
    const status = page.getByTestId('history-status');
    await waitFor(
      async () => (await status.getAttribute('data-status')) === 'loaded',
      'history loaded from the gateway',
    );
    const backfilled = Number(/^(\d+) points/.exec((await status.textContent()) ?? '')?.[1]);
    expect(backfilled).toBeGreaterThan(0);
    const trend = page.locator('[data-trend="FillLevel"]');
    const before = Number(await trend.getAttribute('data-points'));
    expect(before).toBeGreaterThan(0);
    await waitFor(
      async () => Number(await trend.getAttribute('data-points')) > before,
      'the FillLevel trend to grow with live scans',
    );
    expect(await page.locator('[data-trend="FillLevel"] canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'machine-detail');
    expect(errors).toEqual([]);
  });

  it('shows every tag of the machine live in the mimic, indicators, counters and alarms', async () => {
    for (const tag of [
      'FillValve',
      'ConveyorMotor',
      'CappingMotor',
      'BottlePresent',
      'HighLevel',
      'TankPressure',
      'ConveyorSpeed',
      'BottlesFilled',
      'Fault',
      'Overfill',
    ]) {
      const value = await waitFor(
        () => liveValue(page, 'filler-0001', tag),
        `${tag} on the detail screen`,
      );
      expect(value.text).not.toBe('');
    }
    const first = (await liveValue(page, 'filler-0001', 'BottlesFilled'))!.text;
    await waitFor(
      async () => (await liveValue(page, 'filler-0001', 'BottlesFilled'))?.text !== first,
      'the bottle counter to move',
    );
  });

  it('axe-core finds no serious or critical violation on the overview, detail and alarm screens', async () => {
    for (const [hash, ready] of [
      ['#/', '[data-row-machine="filler-0001"]'],
      ['#/machine/filler-0001', '[data-trend="FillLevel"] canvas'],
      ['#/alarms', '#journal-title'],
    ] as const) {
      await page.goto(`${gateway.url}${hash}`);
      await page.locator(ready).first().waitFor();
      expect(await seriousAccessibilityViolations(page), hash).toEqual([]);
    }
    await screenshot(page, 'alarms');
  });

  it('an unknown machine gets a clear message, not a blank or broken page', async () => {
    await page.goto(`${gateway.url}#/machine/no-such-filler`);
    await expect
      .poll(() => page.getByTestId('unknown-machine').textContent())
      .toContain('Unknown machine');
    expect(errors).toEqual([]);
  });

  // Skipped: the page's command path and the agent's handler (its own MQTT 5 connection, replies
  // under …/command/reply) do not agree yet — the round trip timed out in CI. Open work of issue 13.
  it.skip('a command from the page changes the simulator and shows its reply', async () => {
    await page.goto(`${gateway.url}#/machine/filler-0002`);
    await waitFor(
      async () =>
        (
          await page.locator('[data-machine="filler-0002"][data-field="state"]').textContent()
        )?.includes('running'),
      'filler-0002 running',
    );
    await page.locator('[data-command="stop"]').click();
    await waitFor(
      async () =>
        (await page
          .locator('[data-testid="command-log"] li')
          .first()
          .getAttribute('data-status')) === 'accepted',
      'the stop command accepted',
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-0002', 'SystemRunning'))?.text === 'OFF',
      'SystemRunning OFF after stop',
    );
    await page.locator('[data-command="start"]').click();
    await waitFor(
      async () => (await liveValue(page, 'filler-0002', 'SystemRunning'))?.text === 'ON',
      'SystemRunning ON after start',
    );
    await screenshot(page, 'machine-detail-commands');
  });
});
