/** Sweeps split over processes (--jobs) or a job array (--shard i/N), merged back: the same sweep, cell for cell. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import type { Snapshot } from '../../src/core/run/types';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile, type RunRecord } from '../../src/engine/runFile';
import { mergeShards, parseShard, shardCells } from '../../src/engine/shards';
import { parseConfig } from '../../src/phenomena/engine';
import { GRID } from '../../src/phenomena/grid/run';
import { SWEEP } from '../../src/phenomena/phase-diagram/diagram';
import { canonicalConfig, experimentFile, NODE_SOURCES, useBackend } from '../support/engine';

const run = promisify(execFile);
const cli = ['--import', 'tsx', 'src/cli/experiment.ts'];
const merge = ['--import', 'tsx', 'src/cli/merge.ts'];

/** Four cells that end differently (two reach the loss target at different steps, two do not), two widths. */
const small = ['sweep.gamma=[0.5,1.5]', 'sweep.gammaPrime=[-0.5,0.5]', 'sweep.widths=[40,80]', 'train.maxSteps=1200', 'backend="wasm"'];
const smallSweep = () => parseConfig(applyAssignments(experimentFile('phase-diagram.json'), small));
const last = (record: RunRecord) => record.snapshots[record.snapshots.length - 1] as Snapshot;

describe('sweep shards', () => {
  beforeAll(() => useBackend('wasm'));

  it('splits the cells into disjoint, balanced parts that cover the sweep', () => {
    for (const [cells, of] of [[40, 4], [7, 3], [5, 5], [1, 1]]) {
      const parts = Array.from({ length: of }, (_, i) => shardCells(cells, i, of));
      expect(parts.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: cells }, (_, i) => i));
      const sizes = parts.map((part) => part.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(parseShard('2/4', 40)).toEqual({ index: 2, of: 4 });
    expect(() => parseShard('4/4', 40)).toThrow(/i must be 0 … N − 1/);
    expect(() => parseShard('1/50', 40)).toThrow(/40 cells, so at most 40 parts/);
    expect(() => parseShard('two', 40)).toThrow(/not i\/N/);
  });

  it('4 shards as processes and --jobs 2, merged, equal the sweep one process trains, cell for cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-shards-'));
    const config = join(dir, 'sweep.json');
    writeFileSync(config, JSON.stringify(smallSweep()));
    const parts = [0, 1, 2, 3].map((i) => join(dir, `part-${i}.json`));
    const [whole] = await Promise.all([
      runExperiment(smallSweep(), 'wasm'),
      ...parts.map((out, i) => run('node', [...cli, config, '--shard', `${i}/4`, '--progress', 'json', '--out', out])),
    ]);
    await run('node', [...merge, ...parts, '--out', join(dir, 'merged.json')]);
    const [merged] = parseRunFile(JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')));
    const cells = SWEEP.of(last(whole))?.cells;
    expect(cells?.map((cell) => cell.regime)).not.toContain(null);
    expect(new Set(cells?.map((cell) => cell.steps[0])).size).toBeGreaterThan(1);
    expect(SWEEP.of(last(merged))?.cells).toEqual(cells);
    expect(SWEEP.of(last(merged))?.done).toEqual([40, 80]);

    const { stderr } = await run('node', [...cli, config, '--jobs', '2', '--progress', 'lines', '--out', join(dir, 'jobs.json')]);
    expect(stderr).toMatch(/cells 8\/8/);
    const [jobs] = parseRunFile(JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8')));
    expect(SWEEP.of(last(jobs))?.cells).toEqual(cells);

    // What the merge refuses, each named with what to do.
    const records = parts.map((part) => parseRunFile(JSON.parse(readFileSync(part, 'utf8')))[0]);
    const named = records.map((record, i) => ({ name: `part-${i}.json`, record }));
    expect(() => mergeShards(named.slice(0, 3))).toThrow(/shard 3\/4 is missing \(cells 3\): run it with --shard 3\/4/);
    expect(() => mergeShards([...named, named[1]])).toThrow(/part-1\.json: shard 1\/4 is also in part-1\.json/);
    const other = { ...records[2], config: { ...records[2].config, seed: 2 } };
    expect(() => mergeShards([...named.slice(0, 2), { name: 'other.json', record: other }, named[3]])).toThrow(/other\.json: its config differs from part-0\.json's at seed/);
    const unfinished = { ...records[0], snapshots: records[0].snapshots.slice(0, 2) };
    expect(() => mergeShards([{ name: 'early.json', record: unfinished }, ...named.slice(1)])).toThrow(/early\.json: shard 0\/4 did not finish .*run it again/);
    expect(() => mergeShards([{ name: 'whole.json', record: whole }])).toThrow(/whole\.json: not a shard/);
    // A shard's file is checked against itself: its cells are the shard's.
    expect(() => parseRunFile({ ...JSON.parse(readFileSync(parts[1], 'utf8')), shard: { index: 1, of: 4, cells: [0] } })).toThrow(/shard\.cells: not the cells of shard 1\/4/);
  }, 600_000);

  it('a grid sweep in shards gives each cell the run it gives in the whole grid', async () => {
    const grid = parseConfig({
      ...(experimentFile('grid-fprinciple-lr.json') as object),
      backend: 'wasm',
      base: canonicalConfig('model.widths=[8,8]', 'train.steps=20', 'train.snapshotEvery=10'),
      axes: [{ path: 'train.lr', values: [0.001, 0.003, 0.01] }],
    });
    const whole = await runExperiment(grid, 'wasm', undefined, NODE_SOURCES);
    const parts = await Promise.all([0, 1].map(async (index) => {
      const cells = shardCells(3, index, 2);
      return { name: `part-${index}`, record: { ...(await runExperiment(grid, 'wasm', undefined, NODE_SOURCES, { cells })), shard: { index, of: 2, cells } } };
    }));
    expect(GRID.of(last(parts[1].record))?.cells.map((cell) => cell.summary !== undefined)).toEqual([false, true, false]);
    const merged = mergeShards(parts);
    expect(GRID.of(last(merged))).toEqual(GRID.of(last(whole)));
    expect(last(merged).step).toBe(last(whole).step);
  });
});
