import { mosquittoPub } from '@ot-mqtt/broker/testing';
import { expect, it } from 'vitest';
import {
  describeWithStack,
  expectValueToChange,
  liveValue,
  screenshot,
  waitFor,
  waitForMachines,
} from './stack.test-helper.js';

describeWithStack(
  'overview in Chromium against Mosquitto and the agent',
  {
    fillers: 3,
    publishInterval: 0.5,
    viewport: { width: 1280, height: 800 },
    open: '',
  },
  (stack) => {
    /** Waits for `testId`'s data-status to be `status`, then checks it says `words`. */
    const expectStatus = async (testId: string, status: string, words: string) => {
      const element = stack.page.getByTestId(testId);
      await expect.poll(() => element.getAttribute('data-status')).toBe(status);
      expect(await element.textContent()).toContain(words);
    };

    it('lists every machine of the fleet and its values change live', async () => {
      await waitForMachines(stack.page, 3);
      await expectValueToChange(stack.page, 'filler-0001', 'FillLevel');
      await expect
        .poll(() => stack.page.getByTestId('broker-status').getAttribute('data-status'))
        .toBe('connected');
      await screenshot(stack.page, 'overview-live');
      expect(stack.errors).toEqual([]);
    });

    it('bad data and a missing gateway give clear messages, never a crash', async () => {
      // Garbage on a machine's data topic, and on the alarm events topic (the alarm server's,
      // issue 12): each named in the problems banner, the rest of the page intact.
      for (const [topic, message] of [
        ['plc/bottlefiller/filler-0001/data', '{"schemaVersion":1,"tags":42}'],
        ['plc/bottlefiller/filler-0001/alarms/events', '{"alarm":1}'],
      ] as const) {
        expect((await mosquittoPub({ url: stack.broker.url, topic, message })).code).toBe(0);
        await expect
          .poll(() => stack.page.getByTestId('problems').textContent(), { timeout: 10_000 })
          .toContain(topic);
      }
      // This page is served without a gateway: the indicator says so, in words.
      await expectStatus('gateway-status', 'down', 'history and alarm journal unavailable');
      // filler-0001 keeps its last good values and stays live.
      await waitFor(
        async () => (await liveValue(stack.page, 'filler-0001', 'FillLevel'))?.stale === false,
        'filler-0001 live after the bad payload',
      );
      await screenshot(stack.page, 'overview-bad-data');
      // Without the gateway the detail and alarm screens say what is missing and keep working live.
      await stack.page.goto(`${stack.url}#/machine/filler-0001`);
      await expectStatus(
        'history-status',
        'failed',
        'the trends show live data since this page opened',
      );
      await waitFor(
        async () => (await liveValue(stack.page, 'filler-0001', 'BottlesFilled'))?.stale === false,
        'live values on the detail screen without a gateway',
      );
      await stack.page.goto(`${stack.url}#/alarms`);
      await expect
        .poll(() => stack.page.locator('main').textContent())
        .toContain('alarms are shown from live scans only');
      await stack.page.goto(`${stack.url}#/`);
      expect(stack.errors).toEqual([]);
    });

    it('a broker restart is recovered without reloading the page, stale while it is down', async () => {
      await stack.broker.stop();
      await waitFor(
        async () =>
          (await stack.page.getByTestId('broker-status').getAttribute('data-status')) !==
          'connected',
        'the broker indicator to drop',
      );
      await waitFor(
        async () => (await liveValue(stack.page, 'filler-0001', 'FillLevel'))?.stale === true,
        'values marked stale while the broker is down',
      );
      await screenshot(stack.page, 'overview-broker-down');
      stack.broker = await stack.broker.restart();
      await waitFor(
        async () =>
          (await stack.page.getByTestId('broker-status').getAttribute('data-status')) ===
          'connected',
        'the page to reconnect',
        45_000,
      );
      await waitFor(
        async () => (await liveValue(stack.page, 'filler-0001', 'FillLevel'))?.stale === false,
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
      const state = stack.page.locator('[data-machine="filler-0002"][data-field="state"]');
      await waitFor(
        async () => /OFFLINE|STALE/.test((await state.textContent()) ?? ''),
        'filler-0002 shown OFFLINE or STALE',
        10_000,
      );
      expect(Date.now() - stoppedAt).toBeLessThan(3 * 500 + 2_000);
      await waitFor(
        async () => (await liveValue(stack.page, 'filler-0002', 'FillLevel'))?.stale === true,
        'its values marked stale',
      );
      await screenshot(stack.page, 'overview-agent-stopped');
    });
  },
);
