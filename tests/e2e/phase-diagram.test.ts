/** The phase-diagram page in headless Chromium: a small sweep from a link, paused, resumed, classified, reset. */
import { describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { runExperiment } from '../../src/engine/headless';
import { mergeShards, shardCells } from '../../src/engine/shards';
import { parseConfig } from '../../src/phenomena/engine';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';
import { experimentFile, useBackend } from '../support/engine';

const app = useServedApp();

describe('phase-diagram page in Chromium', () => {
  it('runs a linked sweep like any run: play, pause, play on to the end, classified cells, reset', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&gammas=0.5,1.75&gammaPrimes=0&sweepWidths=100,200,400#/phase-diagram`);
    await waitForStatus(page, 'paused', 60_000);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0, null, { timeout: 60_000 });
    // The first run's button pauses it (it is not a "run again").
    expect(await page.textContent('.playbar button.primary')).toMatch(/Pause/);
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused', 60_000);

    // One chunk at a time into the last width: the cells classified from two widths of three say they are provisional.
    const progress = () => page.textContent('[data-testid=progress]');
    while (!/\(3 of 3\)/.test((await progress()) ?? '')) {
      expect(await progress()).not.toMatch(/all 3 widths done/);
      const before = await page.textContent('[data-testid=step]');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((b) => document.querySelector('[data-testid=status]')?.textContent === 'paused' && document.querySelector('[data-testid=step]')?.textContent !== b, before, { timeout: 60_000 });
    }
    expect(await page.locator('g.cell[data-standing=provisional]').count()).toBe(2);
    expect(await page.textContent('[data-testid=provisional]')).toMatch(/provisional, from 2 of 3 widths/);
    expect(await page.textContent('[data-testid=selected]')).toMatch(/γ = 1\.75, γ′ = 0:\s+\w+ so far \(slope -?\d\.\d\d from 2 of 3 widths; provisional\)/);
    expect(await page.locator('g.cell text.slope').allTextContents()).toEqual([expect.stringMatching(/\?$/), expect.stringMatching(/\?$/)]);
    await page.screenshot({ path: 'test-artifacts/phase-diagram-provisional.png' });

    await page.keyboard.press('Space');
    await waitForStatus(page, 'done', 120_000);
    expect(await page.textContent('[data-testid=progress]')).toMatch(/all 3 widths done/);
    expect(await page.locator('g.cell[data-standing=final]').count()).toBe(2);
    expect(await page.locator('[data-testid=provisional]').count()).toBe(0);
    expect(await page.textContent('[data-testid=count-linear]')).toBe('1');
    expect(await page.textContent('[data-testid=count-condensed]')).toBe('1');
    expect(await page.textContent('[data-testid=selected]')).toMatch(/γ = 1\.75, γ′ = 0:\s+condensed \(slope \d\.\d\d\)/);
    expect(await page.locator('g.cell rect').count()).toBe(2);
    await page.screenshot({ path: 'test-artifacts/phase-diagram.png', fullPage: true });
    await page.keyboard.press('r');
    await waitForStatus(page, 'paused', 60_000);
    expect(await page.textContent('[data-testid=step]')).toBe('0');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a sweep merged from shards as one it ran, and refuses a lone shard', async () => {
    await useBackend('wasm');
    const config = parseConfig(applyAssignments(experimentFile('phase-diagram.json'), ['backend="wasm"', 'sweep.gamma=[0.5,1.75]', 'sweep.gammaPrime=[0]', 'sweep.widths=[100,200,400]']));
    const parts = await Promise.all([0, 1].map(async (index) => {
      const cells = shardCells(2, index, 2);
      return { name: `part-${index}.json`, record: { ...(await runExperiment(config, 'wasm', undefined, undefined, { cells })), shard: { index, of: 2, cells } } };
    }));
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/phase-diagram`);
    await waitForStatus(page, 'paused', 60_000);
    await page.setInputFiles('[data-testid=import-run]', { name: 'part-1.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(parts[1].record)) });
    await page.waitForFunction(() => /part 1\/2 of a sweep: merge its parts first/.test(document.querySelector('[data-testid=file-message]')?.textContent ?? ''));
    await page.setInputFiles('[data-testid=import-run]', { name: 'sweep.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mergeShards(parts))) });
    await waitForStatus(page, 'done', 30_000);
    expect(await page.textContent('[data-testid=progress]')).toMatch(/all 3 widths done/);
    expect(await page.textContent('[data-testid=count-linear]')).toBe('1');
    expect(await page.textContent('[data-testid=count-condensed]')).toBe('1');
    expect(await page.locator('g.cell rect').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
