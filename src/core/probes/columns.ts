/**
 * How each measurement becomes named numbers: the columns of a CSV export, the lines of a saved-runs comparison.
 * Keyed by probe name. A measurement not listed becomes columns when it is a number (its name) or a record of
 * numbers (`name.field` each); anything else (view data such as the output curve) has none.
 */
import type { RunInfo, Snapshot } from '../run/types';
import { CONDENSATION, type CondensationMetrics } from './condensation';
import { MODEL_LOSS, type ModelLoss } from './fit';
import { FREQUENCY, type FrequencyErrors } from './frequency';
import { FILTERING, type FilteringErrors } from './highDimensional';

type Columns = (value: never, info: RunInfo & { bandEdges?: number[]; deltas?: number[] }) => [string, number][];

const METRIC_COLUMNS: Record<string, Columns> = {
  [MODEL_LOSS.name]: (value: ModelLoss) => [['modelLoss', value.value]],
  [FREQUENCY.name]: (value: FrequencyErrors, info) => value.k.map((k, i) => [`relError_${info.bandEdges ? 'band' : 'k'}${k}`, value.relError[i]]),
  [FILTERING.name]: (value: FilteringErrors, info) => (info.deltas ?? []).flatMap((delta, i) => [[`eLow_delta${delta}`, value.low[i]], [`eHigh_delta${delta}`, value.high[i]]]),
  [CONDENSATION.name]: (value: CondensationMetrics) => [['directions', value.directions], ['rd', value.rd]],
};

/** A snapshot's loss and measurements as named numbers, in the order the run measures them. */
export function snapshotColumns(snapshot: Snapshot, info: RunInfo): [string, number][] {
  const columns: [string, number][] = [['loss', snapshot.loss]];
  for (const [name, value] of Object.entries(snapshot.metrics)) {
    const toColumns = METRIC_COLUMNS[name];
    if (toColumns && value != null) columns.push(...toColumns(value as never, info));
    else if (typeof value === 'number') columns.push([name, value]);
    else if (value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'number')) {
      columns.push(...Object.entries(value as Record<string, number>).map(([field, v]): [string, number] => [`${name}.${field}`, v]));
    }
  }
  return columns;
}
