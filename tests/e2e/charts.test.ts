/**
 * What a chart gives beyond its pixels: its CSV and JSON hold the snapshots' very numbers, its tooltip the same
 * values, hovering the heat map at a step shows that step in the page's other views, and saved runs compare by
 * name — both runs of a two-run page, with the settings in which they differ. The neural-collapse 3-D view turns
 * by drag and by the arrow keys (which then leave the timeline alone) and shows the timeline's step.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FREQUENCY } from '../../src/core/probes/frequency';
import { readRunFile } from '../../src/engine/runFile';
import { formatValue } from '../../src/ui/charts/hover';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

const stepShown = async (page: Page) => Number(await page.textContent('[data-testid=step]'));

/** The text of a download started by `click`. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync((await file.path()) as string, 'utf8');
}

/** A figure's CSV or JSON, from the buttons in its corner (shown on hover). */
async function figureData(page: Page, figure: Locator, format: 'CSV' | 'JSON'): Promise<string> {
  await figure.scrollIntoViewIfNeeded();
  await figure.hover();
  return downloaded(page, () => figure.getByRole('button', { name: format, exact: true }).click());
}

describe('chart data and linked views', () => {
  it('downloads exactly the snapshots’ numbers; hovering the heat map at a step shows that step everywhere', async () => {
    // A short run (60 steps), so that a snapshot's column on the step axis is wide enough to point at.
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&every=5&steps=60#/frequency-principle`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'done', 120_000);
    const live = await stepShown(page);
    const [record] = readRunFile(await downloaded(page, () => page.click('[data-testid=export-run]')));
    const relError = (step: number) => FREQUENCY.of(record.snapshots.find((s) => s.step === step) ?? record.snapshots[0])?.relError ?? [];
    expect(record.snapshots.at(-1)?.step).toBe(live);

    // The Δ_F curves' CSV: one row per snapshot and peak, each value the snapshot's to the last digit.
    const curves = page.locator('figure', { has: page.getByRole('img', { name: 'Relative error per peak frequency over training, log scale' }) });
    const [header, ...rows] = (await figureData(page, curves, 'CSV')).trim().split('\n');
    expect(header).toBe('series,training step,Δ_F');
    const peaks = record.snapshots[0] && (FREQUENCY.of(record.snapshots[0])?.k ?? []);
    expect(rows, `${peaks} ${record.snapshots.map((s) => s.step)} ${rows.join('|')}`).toHaveLength(peaks.length * record.snapshots.length);
    for (const row of rows) {
      const [name, step, value] = row.split(',');
      const peak = peaks.findIndex((k) => name === `Δ_F at k = ${k}`);
      expect(peak, name).toBeGreaterThanOrEqual(0);
      expect(Number(value)).toBe(relError(Number(step))[peak]);
    }

    // The heat map's JSON: its steps and every column of values.
    const heatFigure = page.locator('figure', { has: page.getByRole('img', { name: /^Heat map/ }) }).first();
    const heat = JSON.parse(await figureData(page, heatFigure, 'JSON'));
    expect(heat.kind).toBe('heatmap');
    expect(heat.steps).toEqual(record.snapshots.map((s) => s.step));
    expect(heat.values).toEqual(record.snapshots.map((s) => FREQUENCY.of(s)?.relError));

    // Hovering the heat map's column of step 20: the tooltip names it, and the step counter and the learned chips
    // show that snapshot (its Δ_F), as the timeline would; leaving it, the page is live again.
    const at = await page.evaluate((step) => {
      // The client x of a step, from two ticks of the map's step axis.
      const ticks = [...document.querySelectorAll<SVGGElement>('.heatmap svg .x-axis .tick')].slice(0, 2).map((tick) => ({ x: tick.getBoundingClientRect().x + tick.getBoundingClientRect().width / 2, v: Number(tick.textContent?.replace(/,/g, '')) }));
      const box = document.querySelector('.heatmap canvas')?.getBoundingClientRect();
      return { x: ticks[0].x + ((step - ticks[0].v) * (ticks[1].x - ticks[0].x)) / (ticks[1].v - ticks[0].v), y: (box?.top ?? 0) + (box?.height ?? 0) / 2 };
    }, 22);
    await page.mouse.move(at.x, at.y);
    const title = await page.locator('[data-testid=tooltip] strong').textContent();
    const hovered = Number(/training step (\d+)/.exec(title ?? '')?.[1]);
    expect(hovered).toBe(20);
    await page.waitForFunction((s) => document.querySelector('[data-testid=step]')?.textContent === String(s), hovered);
    expect(Number(await page.getAttribute('[data-testid=learned-1]', 'data-rel-error'))).toBe(relError(hovered)[0]);
    // The other charts over steps draw the hovered step as a rule.
    expect(await page.locator('.chart-svg line.hover-rule').count()).toBeGreaterThanOrEqual(2);
    await page.mouse.move(0, 0);
    await page.waitForFunction((s) => document.querySelector('[data-testid=step]')?.textContent === String(s), live);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compares both runs of a saved two-run page by name, with the settings that differ', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/condensation`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    // The cosine matrix: the tooltip's cell value is the one its JSON holds for that row and column.
    const matrixFigure = page.locator('figure', { has: page.locator('.matrix') }).first();
    const matrix = JSON.parse(await figureData(page, matrixFigure, 'JSON'));
    expect(matrix.kind).toBe('matrix');
    const cells = await matrixFigure.locator('.matrix canvas').boundingBox();
    if (!cells) throw new Error('no matrix');
    await page.mouse.move(cells.x + cells.width * 0.3, cells.y + cells.height * 0.6);
    const lines = await page.locator('[data-testid=tooltip] > span').allTextContents();
    const [row, column] = lines.slice(0, 2).map((line) => Number(/(\d+)$/.exec(line)?.[1]));
    expect(lines[2].replace(/\u200b/g, '').endsWith(`: ${formatValue(matrix.values[row][column])}`), `${lines} ${matrix.values[row][column]}`).toBe(true);
    page.once('dialog', (dialog) => void dialog.accept('small and standard'));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=file-message]')?.textContent?.includes('small and standard'));
    await page.goto(`${app.url}#/runs`);
    await page.getByLabel('Compare small and standard').check();
    const diff = page.locator('[data-testid=config-diff]');
    await diff.waitFor();
    expect(await diff.locator('tbody tr').allTextContents()).toEqual(['model.init.gamma20.25']);
    expect(await diff.locator('thead th').allTextContents()).toEqual(['field', 'small and standard · A', 'small and standard · B']);
    const legend = await page.locator('section[aria-label=Comparison] figure').first().locator('.legend li').allTextContents();
    expect(legend).toEqual(['small and standard · A', 'small and standard · B']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('turns the neural-collapse 3-D view by drag and arrow keys, and shows the step on the timeline', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&steps=300&every=50#/neural-collapse`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=status]')].every((s) => s.textContent === 'done'), null, { timeout: 120_000 });
    const view = page.locator('[data-testid=simplex-view]').first();
    await view.scrollIntoViewIfNeeded();
    const turned = async () => Number(await view.getAttribute('aria-valuenow'));
    // The rays' ends as drawn: they move when the view turns and when the timeline moves.
    const drawn = () => view.locator('g.item line').evaluateAll((lines) => lines.map((l) => `${l.getAttribute('x2')},${l.getAttribute('y2')}`).join(' '));
    const [start, before, step] = [await turned(), await drawn(), await stepShown(page)];
    await view.focus();
    await page.keyboard.press('ArrowRight');
    expect(await turned()).toBe(start + 15);
    expect(await drawn()).not.toBe(before);
    expect(await stepShown(page)).toBe(step);
    const box = await view.boundingBox();
    if (!box) throw new Error('no 3-D view');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - box.width / 4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    expect(await turned()).toBe(start + 15 - 45);
    const atEnd = await drawn();
    await view.blur();
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '0');
    expect(await drawn()).not.toBe(atEnd);
    expect(errors).toEqual([]);
    await page.close();
  });
});
