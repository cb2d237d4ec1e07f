/**
 * What a chart shows, as data: every chart component registers a reader of its current values on its SVG, and
 * `exportable` offers them as CSV and JSON beside the SVG and PNG. The numbers are written in full (shortest
 * round-trip form), so a file holds the very values of the snapshots, not the tooltip's rounding.
 */

export type ChartData =
  /** Curves: each series' points as drawn (inside the x range, finite, positive on a log axis). */
  | { kind: 'lines'; xLabel: string; yLabel: string; series: { name: string; x: number[]; y: number[] }[] }
  /** A heat map: one column per snapshot step, one value per row. */
  | { kind: 'heatmap'; xLabel: string; yLabel: string; colorLabel: string; steps: number[]; rows: string[]; values: number[][] }
  /** A square matrix, row-major rows. */
  | { kind: 'matrix'; axisLabel: string; colorLabel: string; values: number[][] }
  /** Any other chart: named columns of one row per mark (cells of a grid, points on a disc). */
  | { kind: 'table'; columns: string[]; rows: (number | string | null)[][] };

const readers = new WeakMap<Element, () => ChartData>();

/** Called by a chart component with its SVG: `read` gives what the chart shows now. */
export function registerChart(svg: Element, read: () => ChartData): void {
  readers.set(svg, read);
}

/** The data of the charts inside `root` (a figure), in document order. */
export function chartsIn(root: Element): ChartData[] {
  return [...root.querySelectorAll('.chart-svg')].flatMap((svg) => {
    const read = readers.get(svg);
    return read ? [read()] : [];
  });
}

function cell(value: number | string | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One chart as a table: a header row and one row per value (curves: one row per point, long form). */
export function chartTable(data: ChartData): { columns: string[]; rows: (number | string | null)[][] } {
  switch (data.kind) {
    case 'lines':
      return { columns: ['series', data.xLabel, data.yLabel], rows: data.series.flatMap((s) => s.x.map((x, i) => [s.name, x, s.y[i]])) };
    case 'heatmap':
      return { columns: [data.xLabel, ...data.rows], rows: data.steps.map((step, i) => [step, ...data.values[i]]) };
    case 'matrix':
      return { columns: [`${data.axisLabel} (row)`, ...data.values.map((_, j) => String(j))], rows: data.values.map((row, i) => [i, ...row]) };
    case 'table':
      return { columns: data.columns, rows: data.rows };
  }
}

/** CSV of one or more charts (several: one table after another, a blank line between). */
export function chartsCsv(charts: readonly ChartData[]): string {
  return charts
    .map((data) => {
      const { columns, rows } = chartTable(data);
      return [columns, ...rows].map((row) => row.map(cell).join(',')).join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** JSON of one chart, or of several as a list; non-finite numbers (which JSON lacks) as null. */
export function chartsJson(charts: readonly ChartData[]): string {
  return JSON.stringify(charts.length === 1 ? charts[0] : charts, null, 1);
}
