/**
 * The embedding principle's pure parts: the two-layer network's gradient and exact Hessian against finite
 * differences, the eigenvalues against known matrices, the one-step embedding (same output and loss, a critical
 * point stays critical, the Hessian gains zero eigenvalues), the effective width and the plateau finder; the
 * antisymmetric pair (initialization-induced error) starts at 0 and trains as gradient descent on (θ, θ′).
 */
import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../../src/core/analysis/symmetricEigen';
import { relativeL2 } from '../../src/core/analysis/relativeL2';
import { effectiveWidth, plateaus } from '../../src/phenomena/embedding/analysis';
import { antisymmetricPair, embedInto, flatten, gradient, gradientDescent, hessian, initTwoLayer, loss, predict, splitNeuron, unflatten, type Data, type TwoLayer } from '../../src/core/models/twoLayer64';

const x = Float64Array.from({ length: 12 }, (_, i) => -3 + (6 * i) / 11);
const data: Data = { x, y: x.map((v) => Math.tanh(v - 1) + 0.5 * Math.tanh(2 * v + 1)) };
const net = (): TwoLayer => initTwoLayer(3, 0.8, 5);
const flatGradient = (n: TwoLayer) => flatten(gradient(n, data).grad);
const clustering = { toleranceDeg: 10, massFraction: 0.9 };

/** A critical point of the width-1 network: gradient descent until the gradient is at rounding level. */
function criticalWidthOne(): TwoLayer {
  const n = initTwoLayer(1, 1, 3);
  const trainer = gradientDescent(n, data, 0.2);
  for (let i = 0; i < 50_000; i++) trainer.step();
  return n;
}

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

describe('two-layer tanh network', () => {
  it('the gradient matches central differences of the loss', () => {
    const theta = flatten(net());
    const g = flatGradient(unflatten(theta));
    theta.forEach((_, j) => {
      const [up, down] = [theta.slice(), theta.slice()];
      up[j] += 1e-6;
      down[j] -= 1e-6;
      expect(g[j]).toBeCloseTo((loss(unflatten(up), data) - loss(unflatten(down), data)) / 2e-6, 7);
    });
  });

  it('the exact Hessian matches central differences of the gradient and is symmetric', () => {
    const theta = flatten(net());
    const p = theta.length;
    const h = hessian(unflatten(theta), data);
    for (let j = 0; j < p; j++) {
      const [up, down] = [theta.slice(), theta.slice()];
      up[j] += 1e-5;
      down[j] -= 1e-5;
      const [gu, gd] = [flatGradient(unflatten(up)), flatGradient(unflatten(down))];
      for (let i = 0; i < p; i++) {
        expect(h[i * p + j]).toBeCloseTo((gu[i] - gd[i]) / 2e-5, 6);
        expect(h[i * p + j]).toBe(h[j * p + i]);
      }
    }
  });
});

describe('symmetric eigenvalues', () => {
  it('known matrices: diagonal, [[2, 1], [1, 2]] → 1, 3, a rank-one matrix vvᵀ → 0, 0, ‖v‖²', () => {
    expect(symmetricEigenvalues([3, 0, 0, 0, -1, 0, 0, 0, 2], 3)).toEqual([-1, 2, 3]);
    const [a, b] = symmetricEigenvalues([2, 1, 1, 2], 2);
    expect(a).toBeCloseTo(1, 14);
    expect(b).toBeCloseTo(3, 14);
    const v = [1, -2, 3, 0.5];
    const rank1 = v.flatMap((vi) => v.map((vj) => vi * vj));
    const values = symmetricEigenvalues(rank1, 4);
    expect(Math.abs(values[0]) + Math.abs(values[1]) + Math.abs(values[2])).toBeLessThan(1e-14);
    expect(values[3]).toBeCloseTo(14.25, 12);
  });

  it('the trace and the sum of squares are kept (a random symmetric 9×9)', () => {
    const p = 9;
    const m = new Float64Array(p * p);
    const g = initTwoLayer(p * p, 1, 11).w;
    for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) m[i * p + j] = m[j * p + i] = g[i * p + j];
    const values = symmetricEigenvalues(m, p);
    const trace = Array.from({ length: p }, (_, i) => m[i * p + i]).reduce((s, v) => s + v, 0);
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 12);
    expect(values.reduce((s, v) => s + v * v, 0)).toBeCloseTo(m.reduce((s, v) => s + v * v, 0), 11);
  });
});

describe('one-step embedding by splitting a neuron', () => {
  it('keeps the output and the loss (to rounding) for any α, and refuses a neuron that is not there', () => {
    const narrow = net();
    for (const alpha of [0.5, 0.2, -1.5]) {
      const wide = splitNeuron(narrow, 1, alpha);
      expect(wide.a.length).toBe(4);
      expect(relativeL2(predict(wide, x), predict(narrow, x))).toBeLessThan(1e-15);
      expect(Math.abs(loss(wide, data) - loss(narrow, data))).toBeLessThan(1e-15 * loss(narrow, data));
    }
    expect(() => splitNeuron(narrow, 3, 0.5)).toThrow(/neuron 3/);
    const embedded = embedInto(narrow, 40);
    expect(embedded.a.length).toBe(40);
    expect(Math.abs(loss(embedded, data) - loss(narrow, data))).toBeLessThan(1e-12 * loss(narrow, data));
  });

  it('a critical point of the width-1 network stays critical, and the Hessian gains zero eigenvalues', () => {
    const narrow = criticalWidthOne();
    const gNarrow = norm(flatGradient(narrow));
    expect(gNarrow).toBeLessThan(1e-10);
    const wide = splitNeuron(narrow, 0, 0.3);
    expect(norm(flatGradient(wide))).toBeLessThan(2 * gNarrow);
    const zeros = (n: TwoLayer) => {
      const values = symmetricEigenvalues(hessian(n, data), 3 * n.a.length);
      const largest = Math.max(...values.map(Math.abs));
      return values.filter((v) => Math.abs(v) < 1e-8 * largest).length;
    };
    const [before, after] = [zeros(narrow), zeros(wide)];
    console.info(`Hessian's zero eigenvalues: width 1 ${before} of 3, split into width 2 ${after} of 6`);
    expect(before).toBe(0);
    expect(after).toBeGreaterThanOrEqual(before + 1);
    // Splitting again (width 3) adds more.
    expect(zeros(splitNeuron(wide, 0, 0.5))).toBeGreaterThan(after);
  });

  it('a point that is not critical: splitting keeps the loss, but the new flat direction is not flat (no zero eigenvalue gained for free)', () => {
    const narrow = initTwoLayer(1, 1, 3);
    const values = symmetricEigenvalues(hessian(splitNeuron(narrow, 0, 0.3), data), 6);
    const largest = Math.max(...values.map(Math.abs));
    expect(values.filter((v) => Math.abs(v) < 1e-8 * largest).length).toBe(0);
  });
});

describe('effective width', () => {
  it('neurons on one direction, mirror images included, count once; two directions twice', () => {
    const one: TwoLayer = { w: Float64Array.from([1, 2, -1.5]), b: Float64Array.from([0.5, 1, -0.75]), a: Float64Array.from([1, 0.5, -2]) };
    expect(effectiveWidth(one, clustering)).toBe(1);
    const two: TwoLayer = { w: Float64Array.from([1, 2, 0]), b: Float64Array.from([0.5, 1, 1]), a: Float64Array.from([1, 0.5, 3]) };
    expect(effectiveWidth(two, clustering)).toBe(2);
  });
});

describe('plateaus of a loss curve', () => {
  const curve = (values: number[], every = 100) => values.map((loss, i) => ({ step: i * every, loss }));

  it('finds each flat stretch of at least minSteps, skips the stall at the initial loss and the descents', () => {
    const losses = [1, 1, 1, 0.5, 0.1, 0.1, 0.099, 0.1, 0.098, 0.05, 0.01, 0.0101, 0.01, 0.0099, 0.01, 0.002];
    const found = plateaus(curve(losses), { tolerance: 0.05, minSteps: 300 });
    expect(found.map((p) => [p.from, p.to])).toEqual([
      [400, 800],
      [1000, 1400],
    ]);
    expect(found[0].loss).toBe(0.099);
    expect(found[1].index).toBe(12);
  });

  it('a steady descent has none; a curve that never leaves its initial loss has none', () => {
    expect(plateaus(curve(Array.from({ length: 50 }, (_, i) => 0.8 ** i)), { tolerance: 0.1, minSteps: 300 })).toEqual([]);
    expect(plateaus(curve([1, 1, 1, 1, 1]), { tolerance: 0.1, minSteps: 100 })).toEqual([]);
  });
});

describe('antisymmetric pair', () => {
  it('outputs 0; one step on √2·y at lr/2 is gradient descent on (θ, θ′) for h = (f(θ) − f(θ′))/√2', () => {
    const theta = net();
    const pair = antisymmetricPair(theta);
    expect(Math.max(...Array.from(predict(pair, x), Math.abs))).toBeLessThan(1e-15);
    // h's loss, ½ mean (h − y)², as a function of the pair's parameters (θ′'s output weights stored negated), differentiated numerically.
    const lossOfH = (p: Float64Array) => {
      const { w, b, a } = unflatten(p);
      const m = a.length / 2;
      const half = (k: number, sign: number): TwoLayer => ({ w: w.slice(k, k + m), b: b.slice(k, k + m), a: a.slice(k, k + m).map((v) => sign * v) });
      const [f, fPrime] = [predict(half(0, 1), x), predict(half(m, -1), x)];
      return f.reduce((s, v, i) => s + ((v - fPrime[i]) / Math.SQRT2 - data.y[i]) ** 2, 0) / (2 * x.length);
    };
    const p0 = flatten(pair);
    const numeric = p0.map((_, j) => {
      const [up, down] = [p0.slice(), p0.slice()];
      up[j] += 1e-6;
      down[j] -= 1e-6;
      return (lossOfH(up) - lossOfH(down)) / 2e-6;
    });
    // h = f_pair/√2 and the pair's parameters are θ's and θ′'s (θ′'s a negated, a sign that GD carries through), so a
    // step of gradient descent on (θ, θ′) for h is p − lr·∇L(h); the app takes it as a step on √2·y at lr/2.
    const lr = 0.1;
    gradientDescent(pair, { x, y: data.y.map((v) => v * Math.SQRT2) }, lr / 2).step();
    flatten(pair).forEach((v, j) => expect(v).toBeCloseTo(p0[j] - lr * numeric[j], 8));
  });
});
