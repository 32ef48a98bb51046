import { expect, it } from 'vitest';
import {
  describeWithStack,
  expectValueToChange,
  screenshot,
  seriousAccessibilityViolations,
  waitFor,
  waitForMachines,
} from './stack.test-helper.js';

// A 1,000-filler fleet at the default 2 s: 500 scans/s reach the page. What an operator checks:
// the whole fleet is listed, filter/sort/scroll answer, values keep moving. (How fast: the
// benchmark, apps/dashboard/bench, not a timed assertion here.)
describeWithStack(
  'overview with a 1,000-filler fleet',
  {
    fillers: 1000,
    publishInterval: 2,
    viewport: { width: 1280, height: 800 },
    open: '',
  },
  (stack) => {
    it('lists all 1,000 machines, renders only the rows on screen, and stays usable', async () => {
      await waitForMachines(stack.page, 1000, 60_000);
      // Virtualised: a screenful of rows in the DOM, not a thousand.
      const rows = await stack.page.locator('[data-row-machine]').count();
      expect(rows).toBeGreaterThan(10);
      expect(rows).toBeLessThan(80);
      // Filter to one machine; its values still move.
      await stack.page.getByTestId('filter-text').fill('filler-0742');
      await waitFor(
        async () => (await stack.page.locator('[data-row-machine]').count()) === 1,
        'the filter to leave one row',
      );
      await expectValueToChange(stack.page, 'filler-0742', 'FillLevel', 20_000);
      // Sort by id and scroll to the end: the last machine is reachable.
      await stack.page.getByTestId('filter-text').fill('');
      await stack.page.getByTestId('sort-key').selectOption('machine');
      await stack.page
        .getByTestId('fleet-table')
        .evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await waitFor(
        async () => (await stack.page.locator('[data-row-machine="filler-1000"]').count()) === 1,
        'filler-1000 after scrolling to the end',
      );
      await stack.page.getByTestId('fleet-table').evaluate((element) => element.scrollTo(0, 0));
      await screenshot(stack.page, 'overview-1000');
      expect(await seriousAccessibilityViolations(stack.page)).toEqual([]);
      expect(stack.errors).toEqual([]);
    });
  },
);
