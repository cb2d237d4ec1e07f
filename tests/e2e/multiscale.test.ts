/** The multi-scale page in headless Chromium: both runs train; the MscaleDNN learns k = 20 while the plain net has not. */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('multi-scale page in Chromium', () => {
  it('trains a plain network and an MscaleDNN side by side', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/multiscale`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => /learned at/.test(document.querySelector('[data-testid=run-b-learned-20]')?.textContent ?? ''), null, { timeout: 180_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused', 60_000);
    expect(await page.textContent('[data-testid=run-a-learned-20]')).toMatch(/not yet learned/);
    expect(await page.textContent('[data-testid=run-a-learned-1]')).toMatch(/learned at step \d+/);
    await page.screenshot({ path: 'test-artifacts/multiscale.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
