/** The loss-switch page in headless Chromium: training crosses the switch and the page reports the jump. */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('loss-switch page in Chromium', () => {
  it('shows the error jump at the switch step the link sets', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&switchAt=400&steps=600#/loss-switch`);
    await waitForStatus(page, 'paused');
    expect(await page.inputValue('[data-testid=switch-step]')).toBe('400');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'done', 120_000);
    const jump = (await page.textContent('[data-testid=jump]')) ?? '';
    const factor = Number(/grew ([\d.]+)×/.exec(jump)?.[1]);
    expect(factor).toBeGreaterThan(10);
    // k = 1 was learned before the switch and lost after it (Δ_F back above 0.1): the chip says both, from the snapshots.
    const chip = (await page.textContent('[data-testid=learned-1]'))?.trim() ?? '';
    const lostAt = Number(/^k = 1: learned at step \d+, lost (?:again )?at step (\d+)/.exec(chip)?.[1]);
    expect(chip).toMatch(/^k = 1: learned at step \d+, lost (again at step \d+|at step \d+, learned again at step \d+)$/);
    expect(lostAt).toBeGreaterThan(400);
    await page.screenshot({ path: 'test-artifacts/loss-switch.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
