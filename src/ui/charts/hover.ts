/** What a chart shows under the pointer: the sample nearest a position, and its value in a few digits. */

/** Index of the finite value of `xs` nearest `x` (−1 when there is none); ties go to the first. */
export function nearestIndex(xs: ArrayLike<number>, x: number): number {
  let best = -1;
  let distance = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const d = Math.abs(xs[i] - x);
    if (d < distance) [best, distance] = [i, d];
  }
  return best;
}

/** Index of the last of the ascending `steps` at or before `step` (−1: none): the heat-map column or snapshot shown there. */
export function lastAtOrBefore(steps: readonly number[], step: number): number {
  let i = steps.length - 1;
  while (i >= 0 && steps[i] > step) i--;
  return i;
}

/** A value as a tooltip shows it: four significant digits, exponent form for the very small or large. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const size = Math.abs(value);
  return size < 1e-3 || size >= 1e5 ? value.toExponential(3) : String(+value.toPrecision(4));
}
