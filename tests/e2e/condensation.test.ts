/**
 * The condensation page in headless Chromium: two runs train side by side, and the page reports the
 * directions each condensed on — two for small initialization, many for standard.
 */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('condensation page in Chromium', () => {
  it('trains both runs and shows small initialization condensing, standard not', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/condensation`);
    await waitForStatus(page, 'paused');
    // The default network is ReLU, to which the multiplicity rule does not apply (not differentiable at 0).
    expect(await page.textContent('[data-testid=run-a-theory]')).toMatch(/does not apply/);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) >= 500, null, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused', 60_000);
    expect(await page.textContent('[data-testid=run-a-found]')).toMatch(/found: [12] directions?$/);
    const spread = Number((await page.textContent('[data-testid=run-b-found]'))?.match(/found: (\d+)/)?.[1]);
    expect(spread).toBeGreaterThan(4);
    // The cosine-similarity maps are drawn (one canvas each).
    expect(await page.locator('.matrix canvas').count()).toBe(2);
    await page.screenshot({ path: 'test-artifacts/condensation.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows 2-D input as a polar view of the directions: two for small initialization', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/condensation-2d`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) >= 1000, null, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused', 60_000);
    expect(await page.textContent('[data-testid=run-a-found]')).toMatch(/found: 2 directions$/);
    expect(await page.locator('[data-testid=run-a] svg.polar circle.point').count()).toBe(100);
    expect(await page.locator('[data-testid=run-a] svg.polar circle.marked').count()).toBe(2);
    await page.screenshot({ path: 'test-artifacts/condensation-2d.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads each run from its own link parameters, sharing seed and backend', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&seed=7&b.act=tanh&b.gamma=2#/condensation`);
    await waitForStatus(page, 'paused');
    // m^−2 typeset (KaTeX: m, then a raised −2).
    expect(await page.locator('[data-testid=run-b] .setting .katex').first().textContent()).toBe('m−2');
    expect(await page.textContent('[data-testid=run-b] .setting')).toMatch(/^tanh\(x\), width 100, std = m−2/);
    expect(await page.textContent('[data-testid=run-a] .setting')).toMatch(/^ReLU\(x\)/);
    // The multiplicity rule bounds the initial stage only: the page says so, so a later count above it is no contradiction.
    expect(await page.textContent('[data-testid=run-b-theory]')).toBe('theory: at most 2p = 2 directions in the initial stage of training (p = 1); it bounds nothing later');
    expect(errors).toEqual([]);
    await page.close();
  });
});
