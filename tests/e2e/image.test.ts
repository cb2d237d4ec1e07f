/** The image page in headless Chromium: it trains on a shipped picture, and a dropped image becomes the target. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

/** A 20 × 10 PNG: white left half, black right half (mean intensity 0.5, unlike any shipped picture). */
function halfWhitePng(): string {
  const png = new PNG({ width: 20, height: 10 });
  for (let i = 0; i < 200; i++) png.data.set(i % 20 < 10 ? [255, 255, 255, 255] : [0, 0, 0, 255], 4 * i);
  return PNG.sync.write(png).toString('base64');
}

describe('image page in Chromium', () => {
  it('trains on the house, then on a dropped image', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&points=16#/image`);
    await waitForStatus(page, 'paused');
    const houseMean = Number(await page.getAttribute('[data-testid=target-image]', 'data-mean'));
    await page.keyboard.press('Space');
    await page.waitForFunction(() => /below 0.5 at step/.test(document.querySelector('[data-testid=band-1]')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused', 60_000);
    expect(await page.textContent('[data-testid=band-0]')).toMatch(/below 0.5 at step \d+/);
    await page.screenshot({ path: 'test-artifacts/image.png', fullPage: true });

    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'halves.png', { type: 'image/png' }));
      document.querySelector('article')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, halfWhitePng());
    await page.waitForFunction(() => document.querySelector('[data-testid=dropped-name]')?.textContent === 'Yours: halves.png', null, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'paused' && document.querySelector('[data-testid=step]')?.textContent === '0', null, { timeout: 60_000 });
    const droppedMean = Number(await page.getAttribute('[data-testid=target-image]', 'data-mean'));
    expect(droppedMean).toBeCloseTo(0.5, 6);
    expect(Math.abs(houseMean - 0.5)).toBeGreaterThan(0.01);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0, null, { timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
