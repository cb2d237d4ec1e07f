/** Condensation's events and headline: pure arithmetic on the direction counts of a run's snapshots. */
import { CONDENSATION } from '../../core/probes/condensation';
import type { Snapshot } from '../../core/run/types';
import type { Headline, RunEvent, RunView } from '../types';
import type { FitConfig } from '../fit/schema';
import type { FitInfo } from '../fit/info';

/** Direction counts up to this are few enough to read (and to mark on the page): that is when there is condensation to see. */
export const FEW_DIRECTIONS = 6;
/** A count counts as found once it has held for this many snapshots in a row (ours: the count flickers by one while neurons cross the clustering tolerance). */
export const SETTLED_SNAPSHOTS = 5;

/**
 * Where a series settles: each value that held for `hold` entries in a row, at the index where that stretch began,
 * whenever it differs from the previous settled value. A value that is not a number never settles.
 */
export function settledValues(values: readonly number[], hold: number): { index: number; value: number }[] {
  const settled: { index: number; value: number }[] = [];
  let start = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== values[start]) start = i;
    if (i - start + 1 === hold && Number.isFinite(values[i]) && values[i] !== settled.at(-1)?.value) settled.push({ index: start, value: values[i] });
  }
  return settled;
}

/** "2 directions found": each time the direction count settles on a new value few enough to read. */
export function condensationEvents({ snapshots }: RunView<FitConfig, FitInfo>): RunEvent[] {
  const counts = snapshots.map((s) => {
    const metrics = CONDENSATION.of(s);
    return metrics && !metrics.directionsCapped ? metrics.directions : Number.NaN;
  });
  return settledValues(counts, SETTLED_SNAPSHOTS)
    .filter(({ value }) => value <= FEW_DIRECTIONS)
    .map(({ index, value }) => ({ step: snapshots[index].step, label: `${value} direction${value === 1 ? '' : 's'} found` }));
}

export function condensationHeadline(snapshot: Snapshot): Headline | null {
  const metrics = CONDENSATION.of(snapshot);
  return metrics ? { label: 'directions', value: `${metrics.directions}${metrics.directionsCapped ? '+' : ''}` } : null;
}
