/** The phase-diagram page in headless Chromium: a small sweep from a link, cancelled, resumed, classified. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage } from '../support/browser';

const app = useServedApp();

async function waitForStatus(page: Page, value: string, timeout: number): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('[data-testid=status]')?.textContent === expected, value, { timeout });
}

describe('phase-diagram page in Chromium', () => {
  it('runs a linked sweep, cancels, resumes and classifies the cells', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&gamma=0.5,1.75&gammaPrime=0&widths=100,200,400#/phase-diagram`);
    await page.getByRole('button', { name: /Run sweep/ }).click();
    await page.getByRole('button', { name: /Cancel/ }).click();
    await waitForStatus(page, 'cancelled', 60_000);
    await page.getByRole('button', { name: /Resume/ }).click();
    await waitForStatus(page, 'done', 120_000);
    expect(await page.textContent('[data-testid=count-linear]')).toBe('1');
    expect(await page.textContent('[data-testid=count-condensed]')).toBe('1');
    expect(await page.textContent('[data-testid=selected]')).toMatch(/γ = 1\.75, γ′ = 0:\s+condensed \(slope \d\.\d\d\)/);
    expect(await page.locator('g.cell rect').count()).toBe(2);
    await page.screenshot({ path: 'test-artifacts/phase-diagram.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
