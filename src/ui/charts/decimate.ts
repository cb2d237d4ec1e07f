/**
 * Long series reduced to what a screen can show, so that a chart's drawing costs what its width costs, not
 * what its history costs (a run sends up to a hundred snapshots a second, for minutes).
 */

/**
 * The points of a line, at most four per pixel column: per column, the first, lowest, highest and last point,
 * in order, which draws the same line at that resolution. `pixel` maps a point to its column (any number; the
 * floor is the column); points must be in increasing pixel order.
 */
export function decimateLine<P>(points: readonly P[], pixel: (p: P) => number, value: (p: P) => number): P[] {
  if (points.length <= 8) return [...points];
  const kept: P[] = [];
  let start = 0;
  while (start < points.length) {
    const column = Math.floor(pixel(points[start]));
    let end = start + 1;
    let [low, high] = [start, start];
    while (end < points.length && Math.floor(pixel(points[end])) === column) {
      if (value(points[end]) < value(points[low])) low = end;
      if (value(points[end]) > value(points[high])) high = end;
      end++;
    }
    const picks = [start, low, high, end - 1].sort((a, b) => a - b);
    picks.forEach((i, j) => {
      if (j === 0 || i !== picks[j - 1]) kept.push(points[i]);
    });
    start = end;
  }
  return kept;
}

/** The indices of the columns a heat map draws: the last of those that start in the same pixel column. */
export function lastPerPixel(starts: readonly number[], pixel: (start: number) => number): number[] {
  const kept: number[] = [];
  starts.forEach((start, i) => {
    if (i + 1 === starts.length || Math.floor(pixel(starts[i + 1])) !== Math.floor(pixel(start))) kept.push(i);
  });
  return kept;
}
