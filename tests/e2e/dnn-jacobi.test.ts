/** The DNN-against-Jacobi page in Chromium: the run ends with the network's lowest peak and Jacobi's highest converged first, and the hybrid closest to the exact solution. */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('DNN-against-Jacobi page in Chromium', () => {
  it('reports the opposite orders', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}#/dnn-jacobi`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'done', 120_000);
    const orders = ((await page.textContent('[data-testid=orders]')) ?? '').replace(/\s+/g, ' ');
    expect(orders).toMatch(/k = 1: network step \d+, Jacobi not yet/);
    expect(orders).toMatch(/k = 8: network not yet, Jacobi step \d+/);
    const finalErrors = ((await page.textContent('[data-testid=hybrid]')) ?? '').replace(/\s+/g, ' ').match(/network ([\d.]+), Jacobi ([\d.]+), hybrid ([\d.]+)/);
    expect(finalErrors).not.toBeNull();
    const [network, jacobi, hybrid] = finalErrors!.slice(1).map(Number);
    expect(hybrid).toBeLessThan(Math.min(network, jacobi));
    await page.screenshot({ path: 'test-artifacts/dnn-jacobi-1280.png' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.keyboard.press('f');
    await page.screenshot({ path: 'test-artifacts/dnn-jacobi-presentation.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
