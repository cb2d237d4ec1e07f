/** The MNIST page in headless Chromium: the shipped digits load in the worker, training runs, the low part is fitted first. */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('MNIST page in Chromium', () => {
  it('trains on the shipped digits and fits the low-frequency part first', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&samples=200#/mnist`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    // δ = 20 (the second filter): its low part is fitted within tens of steps.
    await page.waitForFunction(() => /low at step \d+/.test(document.querySelector('[data-testid=filter-1]')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused', 60_000);
    expect(await page.textContent('[data-testid=filter-1]')).toMatch(/high not yet/);
    expect(Number(await page.getAttribute('[data-testid=filter-1]', 'data-high'))).toBeGreaterThan(0.3);
    await page.screenshot({ path: 'test-artifacts/mnist.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
