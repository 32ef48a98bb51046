import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import {
  describeWithStack,
  screenshot,
  seriousAccessibilityViolations,
  waitFor,
} from './stack.test-helper.js';

const OPERATOR_TOKEN = 'e2e-operator-token-0123456789';
const ALARM = 'filler-0002/Overfill';

// An alarm's life as an operator lives it in the browser, against the gateway's alarm server
// (issue 12): a fault injected from the page raises it, the alarms screen shows it
// unacknowledged, the operator acknowledges it with the gateway's operator token, and the journal
// (filtered, exported as CSV) has both.
describeWithStack(
  'alarms in Chromium: raise, show, acknowledge',
  {
    fillers: 2,
    publishInterval: 0.5,
    gateway: { GATEWAY_OPERATOR_TOKEN: OPERATOR_TOKEN },
  },
  (stack) => {
    const row = () => stack.page.locator(`[data-alarm="${ALARM}"]`);

    it('a fault injected from the page raises an alarm the alarms screen shows unacknowledged, without an acknowledge button before a token', async () => {
      await stack.page.goto(`${stack.url}#/machine/filler-0002`);
      await stack.page.getByTestId('fault-select').selectOption('jamValve');
      await stack.page.locator('button[data-command="inject-fault"]').click();
      await waitFor(
        async () =>
          (await stack.page
            .locator('[data-testid="command-log"] li')
            .first()
            .getAttribute('data-status')) === 'accepted',
        'the inject-fault command accepted',
      );
      await stack.page.goto(`${stack.url}#/alarms`);
      // From the alarm server (not only from live scans): its lifecycle state.
      await waitFor(
        async () =>
          (await row().count()) === 1 &&
          (await row().getAttribute('data-state')) === 'unacknowledged-active' &&
          (await row().getAttribute('data-live-only')) === null,
        `${ALARM} unacknowledged-active from the alarm server`,
      );
      expect(await row().textContent()).toContain('ACTIVE, unacknowledged');
      expect(await stack.page.getByTestId('alarm-banner').textContent()).toContain(
        'filler-0002 Overfill',
      );
      expect(await stack.page.locator('button[data-ack]').count()).toBe(0);
      expect(await stack.page.getByTestId('ack-access').textContent()).toContain('operator token');
    });

    it('a token the gateway refuses withdraws the button and says why', async () => {
      const access = stack.page.getByTestId('ack-access');
      await access.locator('input[name="operator"]').fill('op-anna');
      await access.locator('input[name="operator-token"]').fill('not-the-operator-token');
      await access.getByRole('button', { name: 'Enable acknowledge' }).click();
      await row().locator('button[data-ack]').click();
      await expect
        .poll(() => stack.page.getByTestId('ack-access').textContent())
        .toContain('refused to acknowledge with this token');
      expect(await stack.page.locator('button[data-ack]').count()).toBe(0);
      expect(await row().getAttribute('data-state')).toBe('unacknowledged-active');
    });

    it('the operator acknowledges it: shown acknowledged, by whom, still active', async () => {
      const access = stack.page.getByTestId('ack-access');
      await access.locator('input[name="operator-token"]').fill(OPERATOR_TOKEN);
      await access.getByRole('button', { name: 'Enable acknowledge' }).click();
      await expect.poll(() => access.getAttribute('data-allowed')).toBe('true');
      await row().locator('button[data-ack]').click();
      await waitFor(
        async () => (await row().getAttribute('data-state')) === 'acknowledged-active',
        `${ALARM} acknowledged-active`,
      );
      expect(await row().textContent()).toContain('ACTIVE, acknowledged');
      expect(await row().textContent()).toContain('by op-anna');
      expect(await stack.page.getByTestId('alarm-banner').count()).toBe(0);
      expect(await seriousAccessibilityViolations(stack.page)).toEqual([]);
      await screenshot(stack.page, 'alarms-acknowledged');
    });

    it('the journal has the raise and the acknowledgement, filters by machine, alarm and time, and exports CSV', async () => {
      const journal = (event: string) =>
        stack.page.locator(`[data-journal="${ALARM}"][data-event="${event}"]`);
      await waitFor(
        async () =>
          (await journal('raised').count()) > 0 && (await journal('acknowledged').count()) > 0,
        'raised and acknowledged in the journal',
      );
      await stack.page.getByTestId('journal-machine').fill('0002');
      await stack.page.getByTestId('journal-alarm').selectOption('Overfill');
      const shown = await stack.page.$$eval('[data-journal]', (rows) =>
        rows.map((r) => r.getAttribute('data-journal')),
      );
      expect(new Set(shown)).toEqual(new Set([ALARM]));

      const download = stack.page.waitForEvent('download');
      await stack.page.getByTestId('export-csv').click();
      const csv = await readFile((await (await download).path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toBe('time,machineId,alarm,event,state,user,firstOut');
      expect(csv).toContain('filler-0002,Overfill,raised,unacknowledged-active');
      expect(csv).toContain('filler-0002,Overfill,acknowledged,acknowledged-active,op-anna');

      // A window that ends before the alarm: nothing in it.
      const local = (offsetMs: number) =>
        stack.page.evaluate((offset) => {
          const ms = Date.now() + offset;
          return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
            .toISOString()
            .slice(0, 16);
        }, offsetMs);
      const from = stack.page.locator('input[type="datetime-local"]').nth(0);
      const to = stack.page.locator('input[type="datetime-local"]').nth(1);
      await from.fill(await local(-2 * 3600_000));
      await to.fill(await local(-3600_000));
      await stack.page.getByRole('button', { name: 'Load' }).click();
      await waitFor(
        async () => (await stack.page.locator('[data-journal]').count()) === 0,
        'an empty journal for a window before the alarm',
      );
      expect(await stack.page.getByText('No journal entry for these filters.').count()).toBe(1);
      // A window the gateway refuses: its reason in the page, not the previous window's entries.
      await from.fill(await local(3600_000));
      await to.fill(await local(-3600_000));
      await stack.page.getByRole('button', { name: 'Load' }).click();
      await expect
        .poll(() => stack.page.getByTestId('journal-error').textContent())
        .toContain('to must be after from');
      expect(stack.errors).toEqual([]);
    });
  },
);
