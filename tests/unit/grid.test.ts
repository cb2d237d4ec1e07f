/** A grid sweep of any phenomenon: every combination of the axes, each cell the run its config gives alone. */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { runExperiment } from '../../src/engine/headless';
import { parseConfig, parseFor } from '../../src/phenomena/engine';
import { grid } from '../../src/phenomena/grid';
import { GRID } from '../../src/phenomena/grid/run';
import { gridCells } from '../../src/phenomena/grid/schema';
import { canonicalConfig, experimentFile, NODE_SOURCES, useBackend } from '../support/engine';

const small = ['model.widths=[8,8]', 'train.steps=30', 'train.snapshotEvery=10'];

describe('grid sweep', () => {
  beforeAll(() => useBackend('wasm'));

  it('enumerates every combination, the last axis fastest', () => {
    const cells = gridCells({ base: { a: 0, b: { c: 0 } }, axes: [{ path: 'a', values: [1, 2] }, { path: 'b.c', values: ['x', 'y', 'z'] }] });
    expect(cells.map((cell) => cell.values)).toEqual([[1, 'x'], [1, 'y'], [1, 'z'], [2, 'x'], [2, 'y'], [2, 'z']]);
    expect(cells[4].config).toEqual({ a: 2, b: { c: 'y' } });
  });

  it('refuses a cell its phenomenon refuses, naming the cell and the field', () => {
    const file = experimentFile('grid-fprinciple-lr.json') as Record<string, unknown>;
    expect(() => parseFor(grid, { ...file, axes: [{ path: 'train.lr', values: [0.001, -1] }] })).toThrow(/axes: cell train\.lr=-1: train\.lr: /);
    expect(() => parseFor(grid, { ...file, axes: [{ path: 'model.widths', values: Array.from({ length: 70 }, () => [1]) }, { path: 'seed', values: Array.from({ length: 70 }, (_, i) => i) }] })).toThrow(/at most 4096/);
    expect(() => parseFor(grid, { ...file, base: file })).toThrow(/base.phenomenon: a grid cannot sweep a grid/);
  });

  it('runs each cell as the same config alone would, and summarizes it by its last snapshot', async () => {
    const base = canonicalConfig(...small);
    const config = parseFor(grid, { ...(experimentFile('grid-fprinciple-lr.json') as object), backend: 'wasm', base, axes: [{ path: 'seed', values: [1, 2] }, { path: 'train.lr', values: [0.001, 0.01] }] });
    const record = await runExperiment(config, 'wasm', undefined, NODE_SOURCES);
    const state = GRID.of(record.snapshots.at(-1) as (typeof record.snapshots)[number]);
    expect(state?.current).toBe(4);
    expect(state?.cells.map((cell) => cell.values)).toEqual([[1, 0.001], [1, 0.01], [2, 0.001], [2, 0.01]]);
    const alone = await runExperiment(parseConfig(applyAssignments(base, ['seed=2', 'train.lr=0.01'])), 'wasm', undefined, NODE_SOURCES);
    const last = alone.snapshots.at(-1) as (typeof alone.snapshots)[number];
    expect(state?.cells[3].summary?.loss).toBe(last.loss);
    expect(Object.keys(state?.cells[3].summary ?? {})).toEqual(['loss', 'relError_k1', 'relError_k3', 'relError_k5']);
    expect(record.snapshots.at(-1)?.step).toBe(4 * 30);
  });
});
