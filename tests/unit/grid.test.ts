/** A grid sweep of any phenomenon: every combination of the axes, each cell the run its config gives alone. */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { runExperiment } from '../../src/engine/headless';
import { parseConfig, parseFor } from '../../src/phenomena/engine';
import { grid } from '../../src/phenomena/grid';
import { GRID } from '../../src/phenomena/grid/run';
import { gridCells } from '../../src/phenomena/grid/schema';
import { readAnchorDiagram, verdictCounts } from '../../src/phenomena/anchor/diagram';
import { anchorVerdict, VERDICTS } from '../../src/phenomena/anchor/verdict';
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

  it('sweeps the anchor phenomenon headless: every cell gets its accuracies and a verdict, and the diagram reads the file (plumbing only: 4 steps a cell)', async () => {
    const file = experimentFile('grid-anchor-depth.json') as { base: object };
    parseFor(grid, experimentFile('grid-anchor-wd.json'));
    const tiny = applyAssignments(file.base, ['model.dModel=8', 'model.dFeedForward=16', 'model.dK=8', 'train.batch=16', 'train.warmup=1', 'train.steps=4', 'train.snapshotEvery=2', 'analysis.perPair=4']);
    const config = parseFor(grid, { ...file, backend: 'wasm', base: tiny, axes: [{ path: 'model.layers', values: [1, 2] }, { path: 'model.init.gamma', values: [0.5, 1.4] }] });
    const record = await runExperiment(config, 'wasm', undefined, NODE_SOURCES);
    const state = GRID.of(record.snapshots.at(-1) as (typeof record.snapshots)[number]);
    expect(state?.cells).toHaveLength(4);
    for (const cell of state?.cells ?? []) {
      expect(Object.keys(cell.summary ?? {})).toEqual(['loss', 'seen', 'inferential', 'symmetric', 'unseenKeys']);
      expect(VERDICTS).toContain(cell.verdict);
      expect(cell.verdict).toBe(anchorVerdict(cell.summary as { seen: number; inferential: number; symmetric: number }));
    }

    // The page's diagram: γ across, depth up, each cell's verdict as the run file has it.
    const diagram = readAnchorDiagram(JSON.stringify(record));
    expect([diagram.xPath, diagram.yPath, diagram.xs, diagram.ys, diagram.done]).toEqual(['model.init.gamma', 'model.layers', [0.5, 1.4], [1, 2], 4]);
    expect(diagram.cells.map((cell) => [cell.x, cell.y, cell.verdict])).toEqual(state?.cells.map((cell) => [cell.values[1], cell.values[0], cell.verdict]));
    expect(Object.values(verdictCounts(diagram.cells)).reduce((a, b) => a + b, 0)).toBe(4);

    // Files that are not an anchor grid: each refused with its reason.
    expect(() => readAnchorDiagram('{"format": ')).toThrow(/not valid JSON/);
    const fprinciple = await runExperiment(parseConfig(canonicalConfig(...small)), 'wasm', undefined, NODE_SOURCES);
    expect(() => readAnchorDiagram(JSON.stringify(fprinciple))).toThrow(/a fprinciple-1d run, not a grid/);
    const oneAxis = { ...record, config: { ...record.config, axes: [{ path: 'model.init.gamma', values: [0.5, 1.4, 1.6, 1.8] }] } };
    expect(() => readAnchorDiagram(JSON.stringify(oneAxis))).toThrow(/config.axes: 1 axes; the diagram takes two/);
  });
});
