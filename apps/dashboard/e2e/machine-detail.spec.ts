import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  describeWithStack,
  liveValue,
  screenshot,
  seriousAccessibilityViolations,
  waitFor,
} from './stack.test-helper.js';

// History to backfill from: the gateway has stored a few seconds of scans.
describeWithStack(
  'machine detail in Chromium, served by the gateway',
  { fillers: 2, publishInterval: 0.5, gateway: {}, storedScans: 8 },
  (stack) => {
    it('opens with trends backfilled from the gateway, then extends them live', async () => {
      await stack.page.goto(`${stack.url}#/machine/filler-0001`);
      const status = stack.page.getByTestId('history-status');
      await waitFor(
        async () => (await status.getAttribute('data-status')) === 'loaded',
        'history loaded from the gateway',
      );
      const backfilled = Number(/^(\d+) points/.exec((await status.textContent()) ?? '')?.[1]);
      expect(backfilled).toBeGreaterThan(0);
      const trend = stack.page.locator('[data-trend="FillLevel"]');
      const before = Number(await trend.getAttribute('data-points'));
      expect(before).toBeGreaterThan(0);
      await waitFor(
        async () => Number(await trend.getAttribute('data-points')) > before,
        'the FillLevel trend to grow with live scans',
      );
      expect(await stack.page.locator('[data-trend="FillLevel"] canvas').count()).toBeGreaterThan(
        0,
      );
      await screenshot(stack.page, 'machine-detail');
      expect(stack.errors).toEqual([]);
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
          () => liveValue(stack.page, 'filler-0001', tag),
          `${tag} on the detail screen`,
        );
        expect(value.text).not.toBe('');
      }
      const first = (await liveValue(stack.page, 'filler-0001', 'BottlesFilled'))!.text;
      await waitFor(
        async () => (await liveValue(stack.page, 'filler-0001', 'BottlesFilled'))?.text !== first,
        'the bottle counter to move',
      );
    });

    it('axe-core finds no serious or critical violation on the overview, detail and alarm screens', async () => {
      for (const [hash, ready] of [
        ['#/', '[data-row-machine="filler-0001"]'],
        ['#/machine/filler-0001', '[data-trend="FillLevel"] canvas'],
        ['#/alarms', '#journal-title'],
      ] as const) {
        await stack.page.goto(`${stack.url}${hash}`);
        await stack.page.locator(ready).first().waitFor();
        expect(await seriousAccessibilityViolations(stack.page), hash).toEqual([]);
      }
      await screenshot(stack.page, 'alarms');
    });

    it('an unknown machine gets a clear message, not a blank or broken page', async () => {
      await stack.page.goto(`${stack.url}#/machine/no-such-filler`);
      await expect
        .poll(() => stack.page.getByTestId('unknown-machine').textContent())
        .toContain('Unknown machine');
      expect(stack.errors).toEqual([]);
    });

    it('a command from the page is answered in the page and changes the simulator in the next scan', async () => {
      await stack.page.goto(`${stack.url}#/machine/filler-0002`);
      await waitFor(
        async () =>
          (
            await stack.page
              .locator('[data-machine="filler-0002"][data-field="state"]')
              .first()
              .textContent()
          )?.includes('running'),
        'filler-0002 running',
      );
      const stop = await sendFromPage(stack.page, 'stop');
      expect(stop.status, stop.text).toBe('accepted');
      expect(stop.text).toMatch(/stop → accepted · now (Stopping|Stopped)/);
      const stopped = await firstScanWhere(stack.page, 'filler-0002', 'SystemRunning', 'OFF');
      // The reply and the scans travel on different connections of the agent: one scan may already
      // be on its way when the reply arrives; the one after it shows the command's effect.
      expect(stopped - stop.sequence, 'scans until SystemRunning OFF').toBeLessThanOrEqual(2);

      // What the operator sees when the PLC says no: the reason, in the page.
      const refused = await sendFromPage(stack.page, 'start');
      expect(refused.status, refused.text).toBe('refused');
      expect(refused.text).toContain('reset first');

      const reset = await sendFromPage(stack.page, 'reset');
      expect(reset.status, reset.text).toBe('accepted');
      // Resetting ends at the next scan (PackML Idle); then start is allowed.
      await waitFor(
        async () =>
          (await scanView(stack.page, 'filler-0002', 'SystemRunning')).sequence >=
          reset.sequence + 2,
        'two scans after the reset',
      );
      const start = await sendFromPage(stack.page, 'start');
      expect(start.status, start.text).toBe('accepted');
      const running = await firstScanWhere(stack.page, 'filler-0002', 'SystemRunning', 'ON');
      expect(running - start.sequence, 'scans until SystemRunning ON').toBeLessThanOrEqual(2);
      await screenshot(stack.page, 'machine-detail-commands');
      expect(stack.errors).toEqual([]);
    });
  },
);

/** The scan number the detail screen shows and one tag's value, read in one go. */
async function scanView(
  page: Page,
  machineId: string,
  tag: string,
): Promise<{ sequence: number; value: string }> {
  return page.evaluate(
    ([id, name]) => ({
      sequence: Number(document.querySelector('[data-field="sequence"]')?.textContent ?? NaN),
      value:
        document.querySelector(`[data-machine="${id}"][data-tag="${name}"]`)?.textContent ?? '',
    }),
    [machineId, tag] as const,
  );
}

/** Clicks a command button and waits for the page to show the reply; where the scans were then. */
async function sendFromPage(
  page: Page,
  command: string,
): Promise<{ status: string; text: string; sequence: number }> {
  const log = page.locator('[data-testid="command-log"] li');
  const before = await log.count();
  await page.locator(`button[data-command="${command}"]`).click();
  return waitFor(
    () =>
      page.evaluate(
        ([name, count]) => {
          const entries = document.querySelectorAll('[data-testid="command-log"] li');
          const newest = entries[0];
          const status = newest?.getAttribute('data-status') ?? '';
          if (
            (entries.length <= count && count < 8) ||
            newest?.getAttribute('data-command') !== name ||
            status === 'sending' ||
            status === 'sent'
          )
            return undefined;
          return {
            status,
            text: newest?.textContent ?? '',
            sequence: Number(document.querySelector('[data-field="sequence"]')?.textContent ?? NaN),
          };
        },
        [command, before] as const,
      ),
    `the reply to ${command} in the page`,
  );
}

/** Waits until the page shows `tag` = `value` and returns the scan number it first showed it in. */
async function firstScanWhere(
  page: Page,
  machineId: string,
  tag: string,
  value: string,
): Promise<number> {
  const seen = await waitFor(async () => {
    const view = await scanView(page, machineId, tag);
    return view.value === value ? view : undefined;
  }, `${machineId} ${tag} ${value} on the detail screen`);
  return seen.sequence;
}
