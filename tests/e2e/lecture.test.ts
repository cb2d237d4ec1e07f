/**
 * The lecture hall: on every page the key charts (figures marked data-key) are seen whole without scrolling at
 * 1280 × 800 and, in presentation mode, at 1280 × 800 and 1920 × 1080, with nothing wider than the screen;
 * PageDown goes to the next phenomenon and keeps presentation mode; no chart label shows raw notation. The
 * timeline shows a chosen snapshot, the tooltip its values, and slow motion holds the run to its pace.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PAGES } from '../../src/phenomena/pages';
import { formatValue } from '../../src/ui/charts/hover';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

/**
 * What is not seen whole: key figures outside the viewport or under the tour's caption strip, or a page wider
 * than the viewport. Empty when all is well.
 */
function hidden(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    const h = document.querySelector('.page > .caption')?.getBoundingClientRect().top ?? window.innerHeight;
    const problems = [...document.querySelectorAll('figure[data-key]')].flatMap((figure) => {
      const box = figure.getBoundingClientRect();
      const name = figure.querySelector('figcaption')?.textContent?.slice(0, 40);
      return box.top < 0 || box.left < 0 || box.bottom > h + 0.5 || box.right > w + 0.5 ? [`${name}: ${box.left},${box.top}–${box.right},${box.bottom} in ${w}×${h} above the strip`] : [];
    });
    if (!document.querySelector('figure[data-key]')) problems.push('no key figure');
    if (document.documentElement.scrollWidth > w) problems.push(`page ${document.documentElement.scrollWidth} px wide in ${w}`);
    return problems;
  });
}

/**
 * Chart labels that show raw notation: figure captions, legends and axis titles whose visible text (KaTeX and
 * the SVG text it covers left aside) still has `_`, `^` or a backslash, and typeset titles without their KaTeX.
 */
function rawNotation(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure')].flatMap((figure) => {
      const copy = figure.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.katex, .figure-export, foreignObject, text.typeset, .chart-tip').forEach((e) => e.remove());
      const texts = [...copy.querySelectorAll('figcaption, .legend li, text.axis-label')].map((e) => e.textContent ?? '');
      const untypeset = [...figure.querySelectorAll('text.typeset')].filter((t) => !t.parentElement?.querySelector(`foreignObject.${t.classList[0]} .katex`));
      return [...texts.filter((t) => /[_^\\]/.test(t)), ...untypeset.map((t) => `${t.textContent} without KaTeX`)];
    }),
  );
}

describe('lecture hall', () => {
  it('shows every page’s key charts above the fold, in presentation mode at two sizes too; PageDown keeps presentation mode', async () => {
    const first = PAGES[0].route;
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/${first}`, { width: 1280, height: 800 });
    for (const [i, { route }] of PAGES.entries()) {
      await page.waitForFunction((r) => location.hash === `#/${r}`, route);
      await waitForStatus(page, 'paused');
      await expect.poll(() => hidden(page), { timeout: 10_000 }).toEqual([]);
      expect(await rawNotation(page), route).toEqual([]);
      await page.keyboard.press('f');
      await page.waitForFunction(() => document.documentElement.classList.contains('presenting'));
      await expect.poll(() => hidden(page), { timeout: 10_000 }).toEqual([]);
      await page.setViewportSize({ width: 1920, height: 1080 });
      await expect.poll(() => hidden(page), { timeout: 10_000 }).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 800 });
      // PageDown (a presenter's clicker) turns to the next phenomenon; presentation mode stays.
      await page.keyboard.press('PageDown');
      await page.waitForFunction((r) => location.hash === `#/${r}`, PAGES[(i + 1) % PAGES.length].route);
      expect(await page.evaluate(() => document.documentElement.classList.contains('presenting'))).toBe(true);
      await page.keyboard.press('f');
      await page.waitForFunction(() => !document.documentElement.classList.contains('presenting'));
    }
    await page.keyboard.press('PageUp');
    await page.waitForFunction((r) => location.hash === `#/${r}`, PAGES[PAGES.length - 1].route);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('scrubs the timeline to a kept snapshot: every view shows it, the tooltip its values; End is live again', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&every=5#/frequency-principle`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    const lossAt0 = await page.textContent('[data-testid=loss]');
    const chipAt0 = await page.getAttribute('[data-testid=learned-1]', 'data-rel-error');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) >= 40, null, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    const live = Number(await page.textContent('[data-testid=step]'));
    const liveLoss = await page.textContent('[data-testid=loss]');

    // Home: the first snapshot, its loss and Δ_F exactly as they were at step 0.
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '0');
    expect(await page.textContent('[data-testid=loss]')).toBe(lossAt0);
    expect(await page.getAttribute('[data-testid=learned-1]', 'data-rel-error')).toBe(chipAt0);
    // → and ← move one snapshot along the timeline (not training).
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '10');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '5');
    // Dragging the slider: its index 4 is step 20.
    await page.locator('[data-testid=timeline]').fill('4');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '20');
    expect(await page.textContent('[data-testid=live]')).toContain('showing step 20');

    // Hovering the Δ_F curves right of the last shown step: the tooltip gives step 20's Δ_F at k = 1.
    const relError = Number(await page.getAttribute('[data-testid=learned-1]', 'data-rel-error'));
    const curves = page.getByRole('img', { name: 'Relative error per peak frequency over training, log scale' });
    await curves.scrollIntoViewIfNeeded();
    const box = await curves.boundingBox();
    if (!box) throw new Error('no Δ_F chart');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    // The name typeset (KaTeX: Δ, then F as a subscript), the value as the snapshot has it.
    await expect.poll(async () => (await page.textContent('[data-testid=tooltip]'))?.replace(/\u200b/g, '')).toContain(`ΔF at k = 1: ${formatValue(relError)} at 20`);

    // End: live again, at the step training reached.
    await page.keyboard.press('End');
    await page.waitForFunction((s) => document.querySelector('[data-testid=step]')?.textContent === String(s), live);
    expect(await page.textContent('[data-testid=loss]')).toBe(liveLoss);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('slow motion holds the run to its pace, and the bar shows steps/s', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&every=5#/frequency-principle`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    for (let i = 0; i < 4; i++) await page.keyboard.press('-');
    expect(await page.textContent('[data-testid=speed]')).toBe('slow: ≤ 1 snapshots/s');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => /steps\/s/.test(document.querySelector('[data-testid=rate]')?.textContent ?? ''), null, { timeout: 30_000 });
    // At most one snapshot of 5 steps a second, so at most 5 steps/s, however fast the machine.
    const rate = Number.parseFloat((await page.textContent('[data-testid=rate]')) ?? '');
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(5);
    await page.keyboard.press('+');
    expect(await page.textContent('[data-testid=speed]')).toBe('slow: ≤ 2.5 snapshots/s');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    expect(errors).toEqual([]);
    await page.close();
  });
});
