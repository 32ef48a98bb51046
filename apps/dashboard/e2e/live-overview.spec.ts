import { mosquittoPub } from '@ot-mqtt/broker/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  liveValue,
  missingPrerequisite,
  screenshot,
  startStack,
  waitFor,
  type Stack,
} from './stack.test-helper.js';

const skip = missingPrerequisite();
if (skip) console.warn(`dashboard live-overview e2e skipped: ${skip}`);

describe.skipIf(skip !== undefined)('overview in Chromium against Mosquitto and the agent', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({
      fillers: 3,
      publishInterval: 0.5,
      viewport: { width: 1280, height: 800 },
    });
    ({ page } = stack);
    await page.goto(stack.url);
  });

  afterAll(() => stack?.stop());

  it('lists every machine of the fleet and its values change live', async () => {
    await waitFor(
      async () => (await page.getByTestId('machine-count').textContent()) === '3',
      'three machines on the overview',
    );
    const first = await waitFor(
      () => liveValue(page, 'filler-0001', 'FillLevel'),
      'a FillLevel value of filler-0001',
    );
    await waitFor(async () => {
      const now = await liveValue(page, 'filler-0001', 'FillLevel');
      return now !== undefined && now.text !== first.text && !now.stale;
    }, 'FillLevel of filler-0001 to change');
    await expect
      .poll(() => page.getByTestId('broker-status').getAttribute('data-status'))
      .toBe('connected');
    await screenshot(page, 'overview-live');
    expect(stack.errors).toEqual([]);
  });

  it('bad data and a missing gateway give clear messages, never a crash', async () => {
    // Someone publishes garbage on a machine's data topic: named in the problems banner.
    const result = await mosquittoPub({
      url: stack.broker.url,
      topic: 'plc/bottlefiller/filler-0001/data',
      message: '{"schemaVersion":1,"tags":42}',
    });
    expect(result.code).toBe(0);
    await expect
      .poll(() => page.getByTestId('problems').textContent(), { timeout: 10_000 })
      .toContain('plc/bottlefiller/filler-0001/data');
    // …and on the alarm events topic (the alarm server's, issue 12): named too, the list intact.
    const badEvent = await mosquittoPub({
      url: stack.broker.url,
      topic: 'plc/bottlefiller/filler-0001/alarms/events',
      message: '{"alarm":1}',
    });
    expect(badEvent.code).toBe(0);
    await expect
      .poll(() => page.getByTestId('problems').textContent(), { timeout: 10_000 })
      .toContain('plc/bottlefiller/filler-0001/alarms/events');
    // This page is served without a gateway: the indicator says so, in words.
    await expect
      .poll(() => page.getByTestId('gateway-status').getAttribute('data-status'))
      .toBe('down');
    expect(await page.getByTestId('gateway-status').textContent()).toContain(
      'history and alarm journal unavailable',
    );
    // filler-0001 keeps its last good values and stays live.
    await waitFor(
      async () => (await liveValue(page, 'filler-0001', 'FillLevel'))?.stale === false,
      'filler-0001 live after the bad payload',
    );
    await screenshot(page, 'overview-bad-data');
    // Without the gateway the detail and alarm screens say what is missing and keep working live.
    await page.goto(`${stack.url}#/machine/filler-0001`);
    await expect
      .poll(() => page.getByTestId('history-status').getAttribute('data-status'))
      .toBe('failed');
    expect(await page.getByTestId('history-status').textContent()).toContain(
      'the trends show live data since this page opened',
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-0001', 'BottlesFilled'))?.stale === false,
      'live values on the detail screen without a gateway',
    );
    await page.goto(`${stack.url}#/alarms`);
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('alarms are shown from live scans only');
    await page.goto(`${stack.url}#/`);
    expect(stack.errors).toEqual([]);
  });

  it('a broker restart is recovered without reloading the page, stale while it is down', async () => {
    await stack.broker.stop();
    await waitFor(
      async () =>
        (await page.getByTestId('broker-status').getAttribute('data-status')) !== 'connected',
      'the broker indicator to drop',
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-0001', 'FillLevel'))?.stale === true,
      'values marked stale while the broker is down',
    );
    await screenshot(page, 'overview-broker-down');
    stack.broker = await stack.broker.restart();
    await waitFor(
      async () =>
        (await page.getByTestId('broker-status').getAttribute('data-status')) === 'connected',
      'the page to reconnect',
      45_000,
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-0001', 'FillLevel'))?.stale === false,
      'values live again',
      45_000,
    );
    expect(stack.errors).toEqual([]);
  });

  it('stopping the agent marks its machines offline or stale within three publish intervals', async () => {
    await stack.agent.stop();
    const stoppedAt = Date.now();
    // OFFLINE when the agent's retained "offline" gets through; STALE (two intervals without a
    // scan) when it cannot (a fleet's shared connection has no last will).
    const state = page.locator('[data-machine="filler-0002"][data-field="state"]');
    await waitFor(
      async () => /OFFLINE|STALE/.test((await state.textContent()) ?? ''),
      'filler-0002 shown OFFLINE or STALE',
      10_000,
    );
    expect(Date.now() - stoppedAt).toBeLessThan(3 * 500 + 2_000);
    await waitFor(
      async () => (await liveValue(page, 'filler-0002', 'FillLevel'))?.stale === true,
      'its values marked stale',
    );
    await screenshot(page, 'overview-agent-stopped');
  });
});
