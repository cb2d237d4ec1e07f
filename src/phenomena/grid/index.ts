/** A grid sweep over any phenomenon's config fields (headless and through the same run protocol as every page). */
import { z } from 'zod';
import { ConfigError } from '../../core/config/validate';
import { parseConfig, phenomenonOf } from '../engine';
import type { Phenomenon } from '../types';
import { GRID, GridRun, type GridState } from './run';
import { gridCells, gridSchema, type GridConfig } from './schema';

/** Each cell's config is its own phenomenon's: refused cells are named with the problem (the first few). */
const checkedSchema = gridSchema.superRefine((grid, ctx) => {
  let cells;
  try {
    cells = gridCells(grid);
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['axes'], message: (error as ConfigError).problems?.join('; ') ?? (error as Error).message });
    return;
  }
  const refused: string[] = [];
  for (const cell of cells) {
    if ((cell.config as { phenomenon?: unknown }).phenomenon === grid.phenomenon) {
      ctx.addIssue({ code: 'custom', path: ['base', 'phenomenon'], message: 'a grid cannot sweep a grid' });
      return;
    }
    try {
      parseConfig(cell.config);
    } catch (error) {
      refused.push(`cell ${grid.axes.map((axis, a) => `${axis.path}=${JSON.stringify(cell.values[a])}`).join(', ')}: ${error instanceof ConfigError ? error.problems.join('; ') : (error as Error).message}`);
      if (refused.length === 3) break;
    }
  }
  refused.forEach((message) => ctx.addIssue({ code: 'custom', path: ['axes'], message }));
});

export const grid: Phenomenon<GridConfig> = {
  id: 'grid',
  schema: checkedSchema,
  links: { seed: 'seed', backend: 'backend' },
  stepsPath: 'base.train.steps',
  length: (config) => gridCells(config).reduce((sum, cell) => {
    const cellConfig = parseConfig(cell.config);
    return sum + phenomenonOf(cellConfig).length(cellConfig);
  }, 0),
  record: {
    info: z.object({ parameterCount: z.number().int().min(0) }).strict(),
    metrics: z
      .object({
        [GRID.name]: z
          .object({
            cells: z.array(z.object({ values: z.array(z.unknown()), summary: z.record(z.string(), z.number().nullable()).optional(), verdict: z.string().max(64).optional(), diverged: z.string().optional() }).strict()),
            current: z.number().int().min(0),
          })
          .strict(),
      })
      .strict(),
  },
  prepare: async (config) => config,
  start: async (config, sources, options) => new GridRun(config, sources, options.cells),
  sweep: {
    count: (config) => gridCells(config).length,
    progress: (snapshot, cells) => ({ done: GRID.of(snapshot)?.cells.filter((cell) => cell.summary).length ?? 0, total: cells }),
    merge: (_config, parts) => {
      const cells = [...(GRID.of(parts[0].last) as GridState).cells];
      for (const part of parts) {
        const state = GRID.of(part.last) as GridState;
        for (const i of part.cells) cells[i] = state.cells[i];
      }
      // Each cell's steps, summed: what one process training them in turn reaches.
      const step = parts.reduce((sum, part) => sum + part.last.step, 0);
      return { step, loss: Number.NaN, metrics: { [GRID.name]: { cells, current: cells.length } } };
    },
  },
  progress: (snapshot, config) => {
    const state = GRID.of(snapshot);
    if (!state) return '';
    const done = state.cells.filter((cell) => cell.summary);
    const last = done.at(-1);
    if (!last) return `cells done 0/${state.cells.length}`;
    const where = config.axes.map((axis, a) => `${axis.path}=${JSON.stringify(last.values[a])}`).join(', ');
    const measures = Object.entries(last.summary ?? {}).map(([name, value]) => `${name} ${value.toPrecision(3)}`);
    return `cells done ${done.length}/${state.cells.length}; last (${where}): ${measures.join('  ')}${last.verdict ? `  → ${last.verdict}` : ''}${last.diverged ? ' (diverged)' : ''}`;
  },
  headline: (snapshot) => {
    const state = GRID.of(snapshot);
    return state ? { label: 'cells done', value: `${state.cells.filter((cell) => cell.summary).length} / ${state.cells.length}` } : null;
  },
};
