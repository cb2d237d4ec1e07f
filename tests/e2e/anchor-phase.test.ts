/**
 * The anchor page's phase diagram in headless Chromium: a grid run file made headless (4 cells of a few steps:
 * plumbing, no phenomenon) opened through the file picker shows every cell with its verdict; a malformed file is
 * refused with its reason and the diagram stays; the γ × layers grid trains on the page's own worker and stops.
 * The guided tour follows the preset: the identity task's own steps under key 3.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { runExperiment } from '../../src/engine/headless';
import { parseFor } from '../../src/phenomena/engine';
import { grid } from '../../src/phenomena/grid';
import { GRID } from '../../src/phenomena/grid/run';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';
import { experimentFile, NODE_SOURCES, useBackend } from '../support/engine';

const app = useServedApp();

describe('anchor phase diagram in Chromium', () => {
  it('opens a headless grid run: every cell drawn with its verdict; a malformed file is refused and the diagram kept', async () => {
    await useBackend('wasm');
    const file = experimentFile('grid-anchor-depth.json') as { base: object };
    const tiny = applyAssignments(file.base, ['model.dModel=8', 'model.dFeedForward=16', 'model.dK=8', 'train.batch=16', 'train.warmup=1', 'train.steps=4', 'train.snapshotEvery=2', 'analysis.perPair=4']);
    const config = parseFor(grid, { ...file, backend: 'wasm', base: tiny, axes: [{ path: 'model.layers', values: [1, 2] }, { path: 'model.init.gamma', values: [0.5, 1.4] }] });
    const record = await runExperiment(config, 'wasm', undefined, NODE_SOURCES);
    const verdicts = GRID.of(record.snapshots.at(-1) as (typeof record.snapshots)[number])?.cells.map((cell) => cell.verdict);
    const path = 'test-artifacts/anchor-grid.json';
    writeFileSync(path, JSON.stringify(record));

    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/anchor`);
    // The tour follows the preset: key 3 (the identity task) brings its own, from its first step.
    const guide = () => page.textContent('[data-testid=guide]');
    await waitForStatus(page, 'paused', 120_000);
    await page.keyboard.press('g');
    await expect.poll(guide, { timeout: 30_000 }).toMatch(/Step 2 of 7.*\(3, 4\) is trained/);
    await page.keyboard.press('3');
    await expect.poll(guide, { timeout: 30_000 }).toMatch(/Step 1 of 3.*anchor 3 and right after it a key/);
    await page.keyboard.press('1');
    await expect.poll(guide, { timeout: 30_000 }).toMatch(/Step 1 of 7.*two anchors/);
    const picker = page.locator('[data-testid=grid-file]');
    await picker.setInputFiles(path);
    const cells = page.locator('[data-testid=phase-diagram] g.cell');
    await expect.poll(() => cells.count(), { timeout: 30_000 }).toBe(4);
    // Hatched exactly where the verdict is "fails"; the counts add up to the cells.
    const hatched = await cells.evaluateAll((groups) => groups.map((g) => g.getAttribute('data-hatched') === 'true'));
    expect(hatched.sort()).toEqual(verdicts?.map((v) => v === 'fails').sort());
    const counted = await page.locator('[data-testid=phase-diagram] [data-testid^=count-]').allTextContents();
    expect(counted.map(Number).reduce((a, b) => a + b, 0)).toBe(4);
    expect(await page.textContent('[data-testid=phase-diagram] figcaption')).toMatch(/4 of 4 cells trained/);

    await picker.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": ') });
    await expect.poll(() => page.textContent('[data-testid=grid-message]')).toMatch(/cannot open broken\.json: .*not valid JSON.*the diagram shown is kept/);
    expect(await cells.count()).toBe(4);
    await page.locator('[data-testid=phase-diagram]').screenshot({ path: 'test-artifacts/anchor-phase.png' });

    // Each grid brings its own steps a cell: key 5's width trains 2000, the quick setting's grids 1500.
    const steps = page.locator('.controls input[type=number]');
    await page.locator('.controls select').selectOption({ index: 2 });
    await expect.poll(() => steps.inputValue()).toBe('2000');
    await page.locator('.controls select').selectOption({ index: 0 });
    await expect.poll(() => steps.inputValue()).toBe('1500');

    // Trained here, in its own worker: the 12 cells of γ × layers drawn untrained at first, the steps counting, and Stop stops it.
    await steps.fill('300');
    await page.click('[data-testid=grid-train]');
    await page.waitForFunction(() => /step [1-9]\d* of 3600 in all/.test(document.querySelector('[data-testid=grid-progress]')?.textContent ?? ''), null, { timeout: 120_000 });
    expect(await cells.count()).toBe(12);
    await page.click('[data-testid=grid-stop]');
    await expect.poll(() => page.textContent('[data-testid=grid-progress]'), { timeout: 30_000 }).toMatch(/^\s*paused: 0 of 12 cells done/);
    expect(await page.isEnabled('[data-testid=grid-go-on]')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
