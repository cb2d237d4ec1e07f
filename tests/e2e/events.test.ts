/**
 * Events during real runs. On the F-Principle page "k = 1 learned" is called out large as it happens and marked
 * under the timeline (a click on the mark shows its step); with pause at events on, the same run from the same
 * weights stops at that step by itself. In presentation mode the headline, Δ_F at the highest peak, is the shown
 * snapshot's. On the condensation page, a comparison, both runs stop at run A's "2 directions found".
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage } from '../support/browser';

const app = useServedApp();

const status = (page: Page) => page.textContent('[data-testid=status]');
const step = async (page: Page) => Number(await page.textContent('[data-testid=step]'));

describe('events', () => {
  it('calls out "k = 1 learned" as it happens, marks it on the timeline, and pauses there when asked', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&every=5#/frequency-principle`, { width: 1280, height: 800 });
    await expect.poll(() => status(page), { timeout: 90_000 }).toBe('paused');

    // A real run: the call-out appears at the moment k = 1 falls below 0.1, with its step.
    await page.keyboard.press('Space');
    const callout = page.locator('[data-testid=event-callout]');
    await callout.filter({ hasText: 'k = 1 learned' }).waitFor({ timeout: 120_000 });
    const calledAt = Number(/step (\d+)/.exec((await callout.textContent()) ?? '')?.[1]);
    await page.keyboard.press('Space');
    await expect.poll(() => status(page)).toBe('paused');
    const live = await step(page);
    expect(live).toBeGreaterThanOrEqual(calledAt);

    // Its mark under the timeline; a click shows that step, where Δ_F at k = 1 is below 0.1 (and was not one snapshot before).
    const mark = page.locator(`[data-testid=event-mark][data-step="${calledAt}"]`);
    expect(await mark.getAttribute('aria-label')).toBe(`Show step ${calledAt}: k = 1 learned`);
    await mark.click();
    await expect.poll(() => step(page)).toBe(calledAt);
    expect(Number(await page.getAttribute('[data-testid=learned-1]', 'data-rel-error'))).toBeLessThan(0.1);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => step(page)).toBe(calledAt - 5);
    expect(Number(await page.getAttribute('[data-testid=learned-1]', 'data-rel-error'))).toBeGreaterThanOrEqual(0.1);

    // Pause at events (key e): from the same initial weights the run stops by itself at that step, live.
    await page.keyboard.press('End');
    await page.keyboard.press('r');
    await expect.poll(() => step(page)).toBe(0);
    await page.keyboard.press('e');
    expect(await page.isChecked('[data-testid=pause-on-event]')).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => page.textContent('[data-testid=stopped-at]'), { timeout: 120_000 }).toBe('k = 1 learned');
    await expect.poll(() => status(page)).toBe('paused');
    expect(await step(page)).toBe(calledAt);
    expect(await page.locator('[data-testid=live]').count()).toBe(0);

    // Presentation mode: the headline beside the counter is Δ_F at k = 5 of the snapshot shown.
    await page.keyboard.press('f');
    const headline = page.locator('[data-testid=headline]');
    await expect.poll(() => headline.isVisible()).toBe(true);
    const relError5 = Number(await page.getAttribute('[data-testid=learned-5]', 'data-rel-error'));
    expect(await headline.locator('strong').textContent()).toBe(relError5.toFixed(3));
    // Its label typeset as the charts' are.
    expect(await headline.locator('.label .katex').count()).toBe(1);
    await page.screenshot({ path: 'test-artifacts/events-presentation.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a comparison, pause at events stops both runs at run A\'s "2 directions found" (condensation, step 240)', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/condensation`, { width: 1280, height: 800 });
    await expect.poll(() => status(page), { timeout: 90_000 }).toBe('paused');
    await page.keyboard.press('e');
    await page.keyboard.press('Space');
    await expect.poll(() => page.textContent('[data-testid=stopped-at]'), { timeout: 120_000 }).toBe('2 directions found');
    await expect.poll(() => status(page)).toBe('paused');
    // The step every run shows, and run A's count there: the unit test's 240 from the same seed, in the browser.
    expect(await step(page)).toBe(240);
    expect(await page.textContent('[data-testid=run-a-found]')).toBe('found: 2 directions');
    expect(await page.getAttribute('[data-testid=event-mark]', 'aria-label')).toBe('Show step 240: Run A: 2 directions found');
    expect(errors).toEqual([]);
    await page.close();
  });
});
