/**
 * Runs outlive the page: a reload restores the run where it stopped, an exported run re-imports to the same
 * snapshots and trains on, and saved runs are listed (also after a reload), renamed and compared.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

const step = async (page: Page) => Number(await page.textContent('[data-testid=step]'));

const stepsOf = (json: { snapshots: unknown[] }) => (json.snapshots as { step: number }[]).map((s) => s.step);
/**
 * The steps a run with a snapshot every 20 steps records up to `last`: the schedule's, and the step of each pause
 * that fell inside an interval (on a loaded machine an interval outlasts the worker's 100 ms slice, so a pause
 * can stop it midway; the page then shows, and keeps, a snapshot of where it stopped).
 */
const recorded = (last: number, pauses: number[]) => [...new Set([...Array.from({ length: Math.floor(last / 20) + 1 }, (_, i) => 20 * i), ...pauses])].sort((a, b) => a - b);

/** The scheduled snapshot after `step` (a run reopened inside an interval completes it, as it would have unsaved). */
const nextScheduled = (step: number) => 20 * Math.floor(step / 20) + 20;

async function exportRun(page: Page): Promise<{ path: string; json: { snapshots: unknown[]; config: unknown } }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-run]')]);
  const path = (await file.path()) as string;
  return { path, json: JSON.parse(readFileSync(path, 'utf8')) };
}

describe('runs that persist', () => {
  it('restores a run after a reload, round-trips export and import, and keeps a run list', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&every=20#/frequency-principle`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) >= 200, null, { timeout: 60_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    const stopped = await step(page);
    const loss = await page.textContent('[data-testid=loss]');
    const exported = await exportRun(page);
    expect(stepsOf(exported.json)).toEqual(recorded(stopped, [stopped]));

    // Pausing wrote the run to IndexedDB (give the autosave its interval), so a reload shows it again.
    await page.waitForTimeout(5000);
    await page.reload();
    await waitForStatus(page, 'paused');
    expect(await step(page)).toBe(stopped);
    expect(await page.textContent('[data-testid=loss]')).toBe(loss);

    // Training on appends to what was written; a second reload has every snapshot, the first ones unchanged.
    await page.keyboard.press('Space');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=step]')?.textContent) >= s + 100, stopped, { timeout: 60_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    const later = await step(page);
    await page.waitForTimeout(5000);
    await page.reload();
    await waitForStatus(page, 'paused');
    expect(await step(page)).toBe(later);
    const continued = await exportRun(page);
    expect(stepsOf(continued.json)).toEqual(recorded(later, [stopped, later]));
    expect(continued.json.snapshots.slice(0, exported.json.snapshots.length)).toEqual(exported.json.snapshots);

    // Reset, then import the exported file: the same snapshots, and training goes on from there.
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '0');
    await page.setInputFiles('[data-testid=import-run]', exported.path);
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=step]')?.textContent) === s, stopped, { timeout: 30_000 });
    const again = await exportRun(page);
    expect(again.json.snapshots).toEqual(exported.json.snapshots);
    expect(again.json.config).toEqual(exported.json.config);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=step]')?.textContent) === s, nextScheduled(stopped), { timeout: 30_000 });

    // A file of the wrong kind is refused with a reason, and the run stays.
    await page.setInputFiles('[data-testid=import-run]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"nope"}') });
    await page.waitForFunction(() => /cannot open the file/.test(document.querySelector('[data-testid=file-message]')?.textContent ?? ''));
    expect(await step(page)).toBe(nextScheduled(stopped));
    // A run whose weights do not fit its network: refused naming the layer (it once read "invalid experiment
    // config"), the run kept; the next good file clears the message (it once stayed through later imports).
    const misfit = JSON.parse(readFileSync(exported.path, 'utf8'));
    misfit.weights.current.layers[1].bias = [1];
    await page.setInputFiles('[data-testid=import-run]', { name: 'misfit.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(misfit)) });
    await expect.poll(() => page.textContent('[data-testid=message]')).toBe('cannot open the run: weights.current.layers.1: bias must have 200 entries');
    expect(await page.textContent('[data-testid=message]')).not.toMatch(/invalid experiment config/);
    expect(await step(page)).toBe(nextScheduled(stopped));
    await page.setInputFiles('[data-testid=import-run]', exported.path);
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=step]')?.textContent) === s, stopped, { timeout: 30_000 });
    expect(await page.locator('[data-testid=message]').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=step]')?.textContent) === s, nextScheduled(stopped), { timeout: 30_000 });

    // Save twice under names, then the run list shows both, also after a reload; two runs compare.
    for (const name of ['first run', 'second run']) {
      page.once('dialog', (dialog) => void dialog.accept(name));
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForFunction((n) => document.querySelector('[data-testid=file-message]')?.textContent?.includes(n), name);
    }
    await page.goto(`${app.url}#/runs`);
    await page.waitForSelector('[data-testid=run-list]');
    await page.reload();
    await page.waitForSelector('[data-testid=run-list]');
    expect(await page.locator('[data-testid=run-list] tbody tr').count()).toBe(2);
    expect(await page.textContent('[data-testid=run-list]')).toContain('first run');
    await page.getByLabel('Compare first run').check();
    await page.getByLabel('Compare second run').check();
    await page.waitForSelector('section[aria-label=Comparison] canvas');
    page.once('dialog', (dialog) => void dialog.accept('renamed run'));
    await page.locator('tr', { hasText: 'second run' }).getByRole('button', { name: 'Rename' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=run-list]')?.textContent?.includes('renamed run'));
    await page.screenshot({ path: 'test-artifacts/saved-runs.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
