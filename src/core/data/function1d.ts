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

export function sampleTarget(expression: string, x: Float64Array): Float64Array {
  const f = compileExpression(expression);
  const y = x.map((xj) => f({ x: xj }));
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`target "${expression}" is not a finite real number at x = ${x[bad]}`);
  return y;
}

/** A target of (x, y) on the n × n grid of `axis`: inputs row-major (y outer, x inner) as pairs, and values. */
export function sampleTarget2D(expression: string, axis: Float64Array): { inputs: Float64Array; values: Float64Array } {
  const f = compileExpression(expression, ['x', 'y']);
  const n = axis.length;
  const inputs = new Float64Array(2 * n * n);
  const values = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const i = r * n + c;
      inputs.set([axis[c], axis[r]], 2 * i);
      values[i] = f({ x: axis[c], y: axis[r] });
      if (!Number.isFinite(values[i])) throw new Error(`target "${expression}" is not a finite real number at (x, y) = (${axis[c]}, ${axis[r]})`);
    }
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
