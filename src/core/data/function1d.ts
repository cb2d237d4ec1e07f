/** Target functions sampled on uniform grids: 1-D (the F-Principle setting) and 2-D square grids. */
import { compileDerivative, compileExpression } from '../expression';

/** The largest float32: the networks train in float32, so a larger target overflows there. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Points per axis a target is sampled on: 1-D, and each axis of a 2-D grid. */
export const MAX_POINTS = 4096;
export const MAX_POINTS_2D = 64;

/** Why `value` cannot be a training target, or null. */
function valueProblem(value: number): string | null {
  if (!Number.isFinite(value)) return 'is not a finite real number';
  return Math.abs(value) > FLOAT32_MAX ? 'overflows float32 (the networks train in float32)' : null;
}

export interface Dataset1D {
  x: Float64Array;
  y: Float64Array;
}

/**
 * n points x_j = a + j·(b − a)/n, j = 0 … n−1: the right end is left out so the grid is one period of the
 * DFT, and a target periodic on [a, b] (sin(kx) on [−π, π]) has its whole amplitude at frequency index k.
 */
export function periodicGrid([a, b]: readonly [number, number], n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => a + (j * (b - a)) / n);
}

/**
 * Points on which the output curve is drawn (the DFT uses the training points): a smooth line at any chart
 * width. The forward pass over them is most of a snapshot's cost, so no more than that.
 */
export const CURVE_POINTS = 201;

/** n points from a to b inclusive, for drawing curves. */
export function closedGrid([a, b]: readonly [number, number], n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => a + (j * (b - a)) / (n - 1));
}

/** The target expression of a config whose target is a function (not an image). */
export function targetExpression(data: { target?: string }): string {
  if (data.target === undefined) throw new Error('this experiment needs a target expression (data.target)');
  return data.target;
}

export function sampleTarget(expression: string, x: Float64Array): Float64Array {
  const f = compileExpression(expression);
  const y = x.map((xj) => f({ x: xj }));
  const bad = y.findIndex((v) => valueProblem(v) !== null);
  if (bad >= 0) throw new Error(`target "${expression}" ${valueProblem(y[bad])} at x = ${x[bad]}`);
  return y;
}

/** The n × n grid of `axis` as (x, y) pairs, row-major with y outer and x inner. */
export function gridInputs(axis: Float64Array): Float64Array {
  const n = axis.length;
  const inputs = new Float64Array(2 * n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) inputs.set([axis[c], axis[r]], 2 * (r * n + c));
  return inputs;
}

/** A target of (x, y) on the n × n grid of `axis`: inputs as gridInputs, and values. */
export function sampleTarget2D(expression: string, axis: Float64Array): { inputs: Float64Array; values: Float64Array } {
  const f = compileExpression(expression, ['x', 'y']);
  const inputs = gridInputs(axis);
  const values = new Float64Array(axis.length ** 2);
  for (let i = 0; i < values.length; i++) {
    const [x, y] = [inputs[2 * i], inputs[2 * i + 1]];
    values[i] = f({ x, y });
    const problem = valueProblem(values[i]);
    if (problem) throw new Error(`target "${expression}" ${problem} at (x, y) = (${x}, ${y})`);
  }
  return { inputs, values };
}

export function targetDataset(
  expression: string,
  domain: readonly [number, number],
  points: number,
  grid: 'periodic' | 'closed' = 'periodic',
): Dataset1D {
  const x = dataGrid({ domain, points, grid });
  return { x, y: sampleTarget(expression, x) };
}

/** f = −u″ of the exact solution u (the Poisson model loss's source) at `inner`; throws where it is not finite. */
export function poissonSource(expression: string, inner: Float64Array): Float64Array {
  const secondDerivative = compileDerivative(expression, 2);
  const source = inner.map((xj) => -secondDerivative({ x: xj }));
  if (source.some((f) => valueProblem(f) !== null)) throw new Error(`the second derivative of "${expression}" is not finite on the points`);
  return source;
}

/** The grid of a config's data (per axis). */
export function dataGrid(data: { domain: readonly [number, number]; points: number; grid: 'periodic' | 'closed' }): Float64Array {
  return data.grid === 'periodic' ? periodicGrid(data.domain, data.points) : closedGrid(data.domain, data.points);
}

/**
 * Why a target expression cannot be trained on on its grid (not finite or beyond float32 somewhere, an error when
 * evaluated; with `poisson`, the same of its second derivative), or null. The schema asks this, so the command
 * line, a link, the editor and an imported file all refuse such a target before any run is replaced.
 */
export function targetProblem(data: { target: string; inputs: 1 | 2; domain: readonly [number, number]; points: number; grid: 'periodic' | 'closed' }, poisson: boolean): string | null {
  // A grid the schema refuses by itself (naming its own field) is not sampled: 10⁹ points would take minutes.
  const [a, b] = data.domain;
  const grid = a < b && Number.isFinite(b - a) && Number.isInteger(data.points) && data.points >= 2 && data.points <= (data.inputs === 2 ? MAX_POINTS_2D : MAX_POINTS);
  if (!grid) return null;
  try {
    const axis = dataGrid(data);
    if (data.inputs === 2) sampleTarget2D(data.target, axis);
    // 1-D runs also draw the target on a finer closed grid (where 1/x meets x = 0).
    else [axis, closedGrid(data.domain, CURVE_POINTS)].forEach((x) => sampleTarget(data.target, x));
    if (poisson && data.inputs === 1) poissonSource(data.target, axis.slice(1, -1));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
