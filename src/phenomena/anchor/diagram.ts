/**
 * The anchor phase diagram from a grid run file (`"phenomenon": "grid"` over an anchor config, two axes, run
 * headless): each cell's place, its last measures and its verdict (verdict.ts), γ across when it is an axis.
 * Pure, no DOM: the page reads a dropped file through it, the tests a file the engine wrote.
 */
import { ConfigError } from '../../core/config/validate';
import { readRunFile } from '../../engine/runFile';
import { grid } from '../grid';
import { GRID, type GridState } from '../grid/run';
import type { GridConfig } from '../grid/schema';
import { anchor } from '.';
import { anchorVerdict, heldOutLean, type Lean, type Verdict } from './verdict';

/** A grid axis value as the diagram labels it (arrays and objects as their JSON). */
export type AxisValue = number | string;

export interface DiagramCell {
  x: AxisValue;
  y: AxisValue;
  /** Null until the cell has trained (a run stopped early). */
  seen: number | null;
  inferential: number | null;
  symmetric: number | null;
  unseenKeys: number | null;
  /** Null until trained. */
  verdict: Verdict | null;
  /** (4, 3)'s winning answer, fitted or not (a failed cell's colour); null until trained. */
  lean: Lean | null;
}

export interface AnchorDiagram {
  name: string;
  /** The config paths across and up. */
  xPath: string;
  yPath: string;
  xs: AxisValue[];
  ys: AxisValue[];
  cells: DiagramCell[];
  /** Cells trained of all. */
  done: number;
}

const GAMMA = 'model.init.gamma';
const label = (value: unknown): AxisValue => (typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value));
const measure = (summary: Record<string, number | null> | undefined, name: string) => summary?.[name] ?? null;

/** The diagram of a run file's text; a ConfigError naming the problem when it is not a finished or running anchor grid. */
export function readAnchorDiagram(text: string): AnchorDiagram {
  const records = readRunFile(text);
  if (records.length !== 1) throw new ConfigError([`(file): holds ${records.length} runs; a grid run file holds one`]);
  const [record] = records;
  if (record.config.phenomenon !== grid.id) throw new ConfigError([`(file): a ${record.config.phenomenon} run, not a grid (make one with npm run experiment -- experiments/grid-anchor-depth.json --out grid.json)`]);
  if (record.shard) throw new ConfigError([`(file): part ${record.shard.index}/${record.shard.of} of a grid: merge its parts first (npm run merge -- part-*.json --out grid.json)`]);
  const state = GRID.of(record.snapshots[record.snapshots.length - 1]);
  if (!state) throw new ConfigError(['snapshots: no grid measurement']);
  return anchorDiagram(record.config as GridConfig, state);
}

/** The diagram of a grid's cells so far (a file's, or a run's on the page); a ConfigError unless it is an anchor grid of two axes. */
export function anchorDiagram(config: GridConfig, state: GridState): AnchorDiagram {
  const { phenomenon } = config.base as { phenomenon?: unknown };
  if (phenomenon !== anchor.id) throw new ConfigError([`config.base.phenomenon: a grid of ${String(phenomenon)} runs, not of anchor runs`]);
  if (config.axes.length !== 2) throw new ConfigError([`config.axes: ${config.axes.length} axes; the diagram takes two (γ and depth, or γ and weight decay)`]);
  // γ across where it is an axis, as in the paper's diagrams; otherwise the grid's last (fastest) axis.
  const across = config.axes.findIndex((axis) => axis.path === GAMMA);
  const [xi, yi] = across === 0 ? [0, 1] : [1, 0];
  const cells = state.cells.map(({ values, summary }): DiagramCell => {
    const [seen, inferential, symmetric] = [measure(summary, 'seen'), measure(summary, 'inferential'), measure(summary, 'symmetric')];
    return {
      x: label(values[xi]),
      y: label(values[yi]),
      seen,
      inferential,
      symmetric,
      unseenKeys: measure(summary, 'unseenKeys'),
      verdict: summary ? anchorVerdict({ seen, inferential, symmetric }) : null,
      lean: summary ? heldOutLean({ inferential, symmetric }) : null,
    };
  });
  return {
    name: config.name,
    xPath: config.axes[xi].path,
    yPath: config.axes[yi].path,
    xs: config.axes[xi].values.map(label),
    ys: config.axes[yi].values.map(label),
    cells,
    done: cells.filter((cell) => cell.verdict !== null).length,
  };
}

/** How many cells of each verdict (trained cells only). */
export function verdictCounts(cells: readonly DiagramCell[]): Partial<Record<Verdict, number>> {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const { verdict } of cells) if (verdict) counts[verdict] = (counts[verdict] ?? 0) + 1;
  return counts;
}
