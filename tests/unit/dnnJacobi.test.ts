/** DNN against Jacobi, the pure parts: the exact solution, Jacobi's sweep on its eigenmodes, the Ritz energy's gradient. */
import { describe, expect, it } from 'vitest';
import { flatten, initTwoLayer, unflatten } from '../../src/core/models/twoLayer64';
import { exactSolution, jacobiSweep, PAPER_SOURCE, poissonGrid, ritzGradient, source } from '../../src/phenomena/dnn-jacobi/solvers';

describe('the Poisson problem', () => {
  it('the exact solution vanishes at ±1 and −u″ = g (central differences, step 1e-4)', () => {
    const x = Float64Array.from({ length: 21 }, (_, i) => -0.95 + 0.095 * i);
    const d = 1e-4;
    const u = (v: Float64Array) => exactSolution(PAPER_SOURCE, v);
    const second = u(x).map((ui, i) => -(u(x.map((v) => v + d))[i] - 2 * ui + u(x.map((v) => v - d))[i]) / (d * d));
    const g = source(PAPER_SOURCE, x);
    second.forEach((v, i) => expect(v).toBeCloseTo(g[i], 4));
    expect(Array.from(u(Float64Array.of(-1, 1))).map(Math.abs)).toEqual([expect.closeTo(0, 15), expect.closeTo(0, 15)]);
  });
});

describe('Jacobi sweep', () => {
  it('multiplies the discrete mode sin(kπj/N) by cos(kπ/N) when g = 0: the high modes shrink fastest', () => {
    const N = 32;
    for (const k of [1, 4, 12]) {
      const mode = Float64Array.from({ length: N + 1 }, (_, j) => Math.sin((k * Math.PI * j) / N));
      const u = mode.slice();
      jacobiSweep(u, new Float64Array(N + 1), 2 / N);
      u.forEach((v, j) => expect(v).toBeCloseTo(Math.cos((k * Math.PI) / N) * mode[j], 14));
    }
  });

  it('converges to the central-difference solution, which is within O(δx²) of the exact one', () => {
    const error = (n: number) => {
      const x = poissonGrid(n);
      const g = source(PAPER_SOURCE, x);
      const h = 2 / (n - 1);
      const u = new Float64Array(n);
      // The slowest mode shrinks by about 1 − π²/(2N²) a sweep: 6N² sweeps take it below 1e-12.
      for (let i = 0; i < 6 * (n - 1) ** 2; i++) jacobiSweep(u, g, h);
      for (let j = 1; j < n - 1; j++) expect((2 * u[j] - u[j - 1] - u[j + 1]) / (h * h)).toBeCloseTo(g[j], 6);
      const exact = exactSolution(PAPER_SOURCE, x);
      return Math.max(...Array.from(u, (v, j) => Math.abs(v - exact[j])));
    };
    const [coarse, fine] = [error(65), error(129)];
    expect(fine).toBeLessThan(1e-3);
    expect(coarse / fine).toBeGreaterThan(3.5);
    expect(coarse / fine).toBeLessThan(4.5);
  });
});

describe('Ritz energy', () => {
  it('its gradient matches central differences of the energy', () => {
    const x = poissonGrid(41);
    const problem = { x, g: source(PAPER_SOURCE, x), beta: 10 };
    const theta = flatten(initTwoLayer(4, 1, 3, 0.5));
    const g = flatten(ritzGradient(unflatten(theta), problem).grad);
    theta.forEach((_, j) => {
      const [up, down] = [theta.slice(), theta.slice()];
      up[j] += 1e-6;
      down[j] -= 1e-6;
      const numeric = (ritzGradient(unflatten(up), problem).energy - ritzGradient(unflatten(down), problem).energy) / 2e-6;
      expect(g[j]).toBeCloseTo(numeric, 6);
    });
  });

  it('on a line h = c·x it is Σ(½c² − g c x)δx + β·2c²', () => {
    const x = poissonGrid(201);
    const problem = { x, g: source(PAPER_SOURCE, x), beta: 10 };
    // One neuron with a tiny w is a line: h(x) ≈ a·w·x. The energy of h = c·x is ½c²·2 − c∫g x (+ the ends' penalty).
    const c = 0.3;
    const w = 1e-5;
    const line = { w: Float64Array.of(w), b: Float64Array.of(0), a: Float64Array.of(c / w) };
    const dx = 2 / 200;
    const expected = x.reduce((s, v, i) => s + (0.5 * c * c - problem.g[i] * c * v) * dx, 0) + 10 * 2 * c * c;
    expect(ritzGradient(line, problem).energy).toBeCloseTo(expected, 6);
  });
});
