/**
 * A grid sweep of any phenomenon: a base config and axes over its fields (config paths), every combination a run of
 * its own, each summarized by the measurements of its last snapshot. Each cell's config is validated by its own
 * phenomenon's schema, so a bad axis value is refused with the cell and the field named.
 */
import { z } from 'zod';
import { setByPath } from '../../core/config/overrides';
import { experimentHeader } from '../../core/config/schema';
import { ConfigError } from '../../core/config/validate';

/** Cells a grid may hold: enough for any diagram, few enough that a typo cannot ask for a million runs. */
export const MAX_CELLS = 4096;

export const gridSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('grid'),
    /** The config every cell starts from (any phenomenon but a grid). */
    base: z.record(z.string(), z.unknown()),
    /** Config paths and their values; the cells are every combination, the last axis varying fastest. */
    axes: z
      .array(z.object({ path: z.string().min(1), values: z.array(z.unknown()).min(1) }).strict())
      .min(1)
      .max(4),
  })
  .strict();

export type GridConfig = z.output<typeof gridSchema>;

export interface GridCell {
  /** One value per axis. */
  values: unknown[];
  config: unknown;
}

/** Every combination of the axes' values, with its config (not yet validated). */
export function gridCells({ base, axes }: Pick<GridConfig, 'base' | 'axes'>): GridCell[] {
  const count = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (count > MAX_CELLS) throw new ConfigError([`axes: ${count} cells; a grid takes at most ${MAX_CELLS}`]);
  return Array.from({ length: count }, (_, index) => {
    let rest = index;
    const values = axes
      .map((axis) => axis)
      .reverse()
      .map((axis) => {
        const value = axis.values[rest % axis.values.length];
        rest = Math.floor(rest / axis.values.length);
        return value;
      })
      .reverse();
    return { values, config: axes.reduce<unknown>((config, axis, a) => setByPath(config, axis.path, values[a]), base) };
  });
}
