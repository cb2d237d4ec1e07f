/** The curvature of a tanh MLP's loss: Hessian-vector products against finite differences, λ_max against the full Hessian. */
import { describe, expect, it } from 'vitest';
import { flatSize, gradientCurvature, hessianVector, largestEigenvalue, lossGradient, type CurvatureProblem } from '../../src/core/analysis/hessian';
import { normalSampler } from '../../src/core/random';

const sample = normalSampler(7);
/** 1-4-3-1 on 6 points: 27 parameters, two tanh layers (the second derivative through both). */
const problem: CurvatureProblem = { sizes: [1, 4, 3, 1], x: [-1, -0.6, -0.2, 0.2, 0.6, 1], y: [0.3, -0.2, 0.5, 0.1, -0.4, 0.2] };
const size = flatSize(problem.sizes);
const theta = Float64Array.from({ length: size }, () => sample(0.8));

/** ∇L(θ + h v) − ∇L(θ − h v), over 2h: the Hessian-vector product to O(h²). */
function finiteDifference(v: ArrayLike<number>, h = 1e-5): Float64Array {
  const shifted = (sign: number) => lossGradient(problem, theta.map((t, i) => t + sign * h * v[i])).gradient;
  const [plus, minus] = [shifted(1), shifted(-1)];
  return plus.map((p, i) => (p - minus[i]) / (2 * h));
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations. */
function symmetricEigenvalues(m: number[][]): number[] {
  const a = m.map((row) => [...row]);
  const n = a.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const phi = 0.5 * Math.atan2(2 * a[p][q], a[q][q] - a[p][p]);
        const [c, s] = [Math.cos(phi), Math.sin(phi)];
        for (let k = 0; k < n; k++) {
          const [akp, akq] = [a[k][p], a[k][q]];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const [apk, aqk] = [a[p][k], a[q][k]];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
  }
  return a.map((row, i) => row[i]).sort((x, y) => y - x);
}

describe('Hessian of a tanh MLP', () => {
  it('the gradient matches finite differences of the loss', () => {
    const { gradient } = lossGradient(problem, theta);
    const h = 1e-6;
    for (const i of [0, 5, 11, 20, 26]) {
      const at = (d: number) => lossGradient(problem, theta.map((t, j) => (j === i ? t + d : t))).loss;
      expect(gradient[i]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
    }
  });

  it('H·v matches finite differences of the gradient', () => {
    for (const seed of [1, 2, 3]) {
      const draw = normalSampler(seed);
      const v = Float64Array.from({ length: size }, () => draw(1));
      const exact = hessianVector(problem, theta, v);
      const approximate = finiteDifference(v);
      const scale = Math.max(...exact.map(Math.abs));
      exact.forEach((value, i) => expect(Math.abs(value - approximate[i])).toBeLessThan(1e-7 * scale));
    }
  });

  it('power iteration finds the largest eigenvalue of the exact Hessian; gᵀHg/‖g‖² is a Rayleigh quotient below it', () => {
    // The full Hessian, column by column from finite differences of the gradient (independent of the R-operator), symmetrized.
    const columns = Array.from({ length: size }, (_, i) => finiteDifference(Float64Array.from({ length: size }, (_, j) => (j === i ? 1 : 0))));
    const hessian = columns.map((_, r) => columns.map((col, c) => (col[r] + columns[r][c]) / 2));
    const eigenvalues = symmetricEigenvalues(hessian);
    const dominant = Math.abs(eigenvalues[0]) >= Math.abs(eigenvalues[size - 1]) ? eigenvalues[0] : eigenvalues[size - 1];
    const found = largestEigenvalue(problem, theta, Float64Array.from({ length: size }, (_, i) => 1 + (i % 3)), 1e-12, 5000);
    console.info(`27 parameters: exact λ_max ${dominant.toPrecision(8)}, power iteration ${found.value.toPrecision(8)} in ${found.iterations} iterations; smallest ${eigenvalues[size - 1].toPrecision(4)}`);
    expect(found.value).toBeCloseTo(dominant, 5);
    // Warm-started from its own eigenvector, it stops at once.
    expect(largestEigenvalue(problem, theta, found.vector, 1e-9).iterations).toBeLessThanOrEqual(2);
    const along = gradientCurvature(problem, theta);
    expect(along).toBeLessThanOrEqual(eigenvalues[0] + 1e-6);
    expect(along).toBeGreaterThanOrEqual(eigenvalues[size - 1] - 1e-6);
  });
});
