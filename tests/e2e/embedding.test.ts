/** The embedding page in Chromium: the quick run stalls on the width-1 plateau, and embedding a narrow network keeps its loss. */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('embedding page in Chromium', () => {
  it('finds the plateau, shows it, and embeds the width-1 network with the same loss and a zero eigenvalue more', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}#/embedding`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'done', 120_000);
    await page.click('[data-testid=plateaus] button');
    const toOne = Number(/= ([\d.]+)/.exec((await page.textContent('[data-testid=distance-1]')) ?? '')?.[1]);
    expect(toOne).toBeLessThan(0.05);
    await page.click('text=Embed: split a neuron');
    const embedded = (await page.textContent('[data-testid=embedded]')) ?? '';
    const [before, after] = [...embedded.matchAll(/loss ([\d.e+-]+) → ([\d.e+-]+)/g)][0].slice(1).map(Number);
    expect(Math.abs(after - before) / before).toBeLessThan(1e-6);
    const zeros = /zero eigenvalues of the Hessian (\d+) of \d+ → (\d+)/.exec(embedded);
    expect(Number(zeros?.[2])).toBeGreaterThan(Number(zeros?.[1]));
    await page.screenshot({ path: 'test-artifacts/embedding-1280.png' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: 'test-artifacts/embedding-1920.png' });
    await page.keyboard.press('f');
    await page.screenshot({ path: 'test-artifacts/embedding-presentation.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
