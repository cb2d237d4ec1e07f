/** A 1-D target function sampled on a periodic uniform grid, the setting of the F-Principle experiments. */
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

export function targetDataset(
  expression: string,
  domain: readonly [number, number],
  points: number,
  grid: 'periodic' | 'closed' = 'periodic',
): Dataset1D {
  const x = grid === 'periodic' ? periodicGrid(domain, points) : closedGrid(domain, points);
  return { x, y: sampleTarget(expression, x) };
}
