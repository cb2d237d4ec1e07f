/** Target functions sampled on uniform grids: 1-D (the F-Principle setting) and 2-D square grids. */
import { compileExpression } from '../expression';

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
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`target "${expression}" is not a finite real number at x = ${x[bad]}`);
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
    if (!Number.isFinite(values[i])) throw new Error(`target "${expression}" is not a finite real number at (x, y) = (${x}, ${y})`);
  }
  return { inputs, values };
}

export function targetDataset(
  expression: string,
  domain: readonly [number, number],
  points: number,
  grid: 'periodic' | 'closed' = 'periodic',
): Dataset1D {
  const x = grid === 'periodic' ? periodicGrid(domain, points) : closedGrid(domain, points);
  return { x, y: sampleTarget(expression, x) };
}
