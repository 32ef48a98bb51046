import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  liveValue,
  missingPrerequisite,
  screenshot,
  seriousAccessibilityViolations,
  startStack,
  waitFor,
  type Stack,
} from './stack.test-helper.js';

const skip = missingPrerequisite();
if (skip) console.warn(`dashboard fleet-1000 e2e skipped: ${skip}`);

// A 1,000-filler fleet at the default 2 s: 500 scans/s reach the page. What an operator checks:
// the whole fleet is listed, filter/sort/scroll answer, values keep moving. (How fast: the
// benchmark, apps/dashboard/bench, not a timed assertion here.)
describe.skipIf(skip !== undefined)('overview with a 1,000-filler fleet', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({
      fillers: 1000,
      publishInterval: 2,
      viewport: { width: 1280, height: 800 },
    });
    ({ page } = stack);
    await page.goto(stack.url);
  });

  afterAll(() => stack?.stop());

  it('lists all 1,000 machines, renders only the rows on screen, and stays usable', async () => {
    await waitFor(
      async () => (await page.getByTestId('machine-count').textContent()) === '1000',
      'all 1,000 machines listed',
      60_000,
    );
    // Virtualised: a screenful of rows in the DOM, not a thousand.
    const rows = await page.locator('[data-row-machine]').count();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(80);
    // Filter to one machine; its values still move.
    await page.getByTestId('filter-text').fill('filler-0742');
    await waitFor(
      async () => (await page.locator('[data-row-machine]').count()) === 1,
      'the filter to leave one row',
    );
    const first = await waitFor(
      () => liveValue(page, 'filler-0742', 'FillLevel'),
      'filler-0742 FillLevel',
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-0742', 'FillLevel'))?.text !== first.text,
      'filler-0742 FillLevel to change',
      20_000,
    );
    // Sort by id and scroll to the end: the last machine is reachable.
    await page.getByTestId('filter-text').fill('');
    await page.getByTestId('sort-key').selectOption('machine');
    await page
      .getByTestId('fleet-table')
      .evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await waitFor(
      async () => (await page.locator('[data-row-machine="filler-1000"]').count()) === 1,
      'filler-1000 after scrolling to the end',
    );
    await page.getByTestId('fleet-table').evaluate((element) => element.scrollTo(0, 0));
    await screenshot(page, 'overview-1000');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(stack.errors).toEqual([]);
  });
});
