/**
 * The neural-collapse measures on constructed cases with known answers: an exact simplex ETF (NC1 = 0, cosines
 * −1/(K−1), equinorm, self-dual), a hand-computed NC1 with a null direction of Σ_B, known cosines; the
 * Layer-Peeled Model's optimum against the authors' numbers; the cross-entropy objective by hand; the data.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracyFrom, angles, classStats, cosineMatrix, minorityCosine, nc1, nearestMeanDisagreement, normSpread, predictions, project, selfDuality, turn, worstFromSimplex } from '../../src/core/analysis/collapse';
import { minorityCosineCurve, solveLayerPeeled } from '../../src/core/analysis/layerPeeled';
import { symmetricEigen } from '../../src/core/analysis/symmetricEigen';
import { gaussianClasses, mnistClasses } from '../../src/core/data/gaussianClasses';
import { MNIST_PIXELS } from '../../src/core/data/mnist';
import { softmaxCrossEntropy } from '../../src/core/objectives/crossEntropy';
import type { Model } from '../../src/core/models/model';
import { chooseStepper, learningRateAt } from '../../src/core/train/stepper';
import { NODE_SOURCES, useBackend } from '../support/engine';

/** The simplex ETF of K classes as K × d rows (d ≥ K): √(K/(K−1))·(e_c − 1/K), padded with zeros. */
function simplex(K: number, d: number): Float64Array {
  const s = Math.sqrt(K / (K - 1));
  return Float64Array.from({ length: K * d }, (_, i) => {
    const [c, j] = [Math.floor(i / d), i % d];
    return j < K ? s * ((c === j ? 1 : 0) - 1 / K) : 0;
  });
}

describe('symmetric eigen-decomposition', () => {
  it('finds the eigenpairs of a symmetric matrix, largest first', () => {
    const { values } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    const n = 6;
    const b = Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.7 + 0.3));
    const a = Array.from({ length: n * n }, (_, i) => b[i] + b[(i % n) * n + Math.floor(i / n)]);
    const { values: lambda, vectors } = symmetricEigen(a, n);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[r * n + j];
        expect(av).toBeCloseTo(lambda[r] * vectors[r * n + i], 9);
      }
      if (r > 0) expect(lambda[r]).toBeLessThanOrEqual(lambda[r - 1]);
    }
  });
});

describe('neural-collapse measures', () => {
  const [K, d] = [4, 6];
  const etf = simplex(K, d);
  // Three points per class, each exactly at its class mean (shifted by a common offset, which centring removes).
  const labels = Int32Array.from({ length: 3 * K }, (_, i) => i % K);
  const h = Float64Array.from({ length: labels.length * d }, (_, i) => etf[labels[Math.floor(i / d)] * d + (i % d)] + 0.7);

  it('an exact simplex ETF: NC1 = 0, equinorm, cosines −1/(K−1), self-dual, no nearest-mean disagreement', () => {
    const features = { h, labels, d, classes: K };
    const stats = classStats(features);
    expect(nc1(features, stats)).toBeCloseTo(0, 12);
    expect(normSpread(stats.centred, K, d)).toBeCloseTo(0, 12);
    const a = angles(stats.centred, K, d);
    expect(a.mean).toBeCloseTo(-1 / (K - 1), 12);
    expect(a.std).toBeCloseTo(0, 12);
    expect(a.fromSimplex).toBeCloseTo(0, 12);
    expect(worstFromSimplex(cosineMatrix(stats.centred, K, d), K)).toBeCloseTo(0, 12);
    // One pair off by 0.2 (the diagonal's 1 is no pair): the worst is that pair.
    const off = Array.from(cosineMatrix(stats.centred, K, d), (c, i) => (i === 1 || i === K ? c + 0.2 : c));
    expect(worstFromSimplex(off, K)).toBeCloseTo(0.2, 12);
    const w = etf.map((x) => 2.5 * x);
    expect(selfDuality(w, stats.centred)).toBeCloseTo(0, 12);
    expect(selfDuality(w.map((x) => -x), stats.centred)).toBeCloseTo(2, 12);
    const logits = Float64Array.from({ length: labels.length * K }, (_, i) => {
      const [p, c] = [Math.floor(i / K), i % K];
      let s = 0;
      for (let j = 0; j < d; j++) s += w[c * d + j] * h[p * d + j];
      return s;
    });
    const predicted = predictions(logits, K);
    expect(Array.from(predicted)).toEqual(Array.from(labels));
    expect(nearestMeanDisagreement(features, stats.means, predicted)).toBe(0);
    const flipped = Int32Array.from(predicted, (c, i) => (i === 0 ? (c + 1) % K : c));
    expect(nearestMeanDisagreement(features, stats.means, flipped)).toBeCloseTo(1 / labels.length, 12);
    // Drawn on its own top directions, the simplex keeps its norms and its classifiers lie on its means.
    const drawn = project(stats.centred, w, K, d, 3);
    drawn.rows.forEach((p) => expect(Math.hypot(...p)).toBeCloseTo(Math.sqrt((K - 1) / K) * Math.sqrt(K / (K - 1)), 9));
    drawn.others.forEach((p, c) => p.forEach((x, j) => expect(x).toBeCloseTo(2.5 * drawn.rows[c][j], 9)));
  });

  it('the 3-D view: a simplex drawn on its top directions keeps its angles, turned any way', () => {
    const cos = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j], 0) / Math.hypot(...a) / Math.hypot(...b);
    const asArray = (t: { x: number; y: number; depth: number }) => [t.x, t.y, t.depth];
    // K = 4 spans exactly three directions: the tetrahedron, every pair at cos −1/3 (109.47°).
    const tetrahedron = project(simplex(4, 6), simplex(4, 6), 4, 6, 3).rows;
    for (const [yaw, pitch] of [[0, 0], [0.7, -0.4], [Math.PI / 2, 1.2], [-2.5, 0.05]]) {
      const seen = turn(tetrahedron, yaw, pitch).map(asArray);
      for (let i = 0; i < 4; i++) {
        expect(Math.hypot(...seen[i])).toBeCloseTo(Math.hypot(...tetrahedron[i]), 12);
        for (let j = i + 1; j < 4; j++) expect(cos(seen[i], seen[j])).toBeCloseTo(-1 / 3, 12);
      }
    }
    // Unturned, the view is the coordinates; a quarter turn of yaw sends the first direction away from the viewer.
    expect(turn([[1, 2, 3]], 0, 0)[0]).toEqual({ x: 1, y: 2, depth: 3 });
    const quarter = turn([[1, 0, 0]], Math.PI / 2, 0)[0];
    [quarter.x, quarter.y, quarter.depth].forEach((v, j) => expect(v).toBeCloseTo([0, 0, -1][j], 12));
    // K = 3 lies in a plane: facing the viewer, the screen shows three spokes 120° apart, nothing in depth.
    const triangle = turn(project(simplex(3, 5), simplex(3, 5), 3, 5, 3).rows, 0, 0);
    triangle.forEach((p) => expect(p.depth).toBeCloseTo(0, 9));
    for (let i = 0; i < 3; i++) expect(cos([triangle[i].x, triangle[i].y], [triangle[(i + 1) % 3].x, triangle[(i + 1) % 3].y])).toBeCloseTo(-1 / 2, 9);
  });

  it('NC1 by hand: Σ_W counted only on the span of the centred means (Σ_B’s pseudo-inverse)', () => {
    // Two classes at x = ±1; within-class deviations ±0.5 in x and ±0.5 in y (y: Σ_B's null space).
    const points = [-1.5, 0.5, -0.5, -0.5, 1.5, 0.5, 0.5, -0.5];
    const features = { h: points, labels: [0, 0, 1, 1], d: 2, classes: 2 };
    // Σ_W = diag(0.25, 0.25), Σ_B = diag(1, 0): Tr(Σ_W Σ_B^†)/K = 0.25/2.
    expect(nc1(features)).toBeCloseTo(0.125, 12);
  });

  it('minority cosine and accuracies', () => {
    // K = 4, K_A = 2: minority classifiers (1, 0) and (1, 1) at 45°.
    const w = [0, 1, -1, 0, 1, 0, 1, 1];
    expect(minorityCosine(w, 4, 2, 2)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(accuracyFrom([0, 1, 2, 2, 3], [0, 1, 2, 3, 3], 2)).toBeCloseTo(2 / 3, 12);
    expect(accuracyFrom([0, 1, 2, 2, 3], [0, 1, 2, 3, 3], 0)).toBeCloseTo(4 / 5, 12);
  });
});

describe('Layer-Peeled Model (K = 10, K_A = 5, E_H = 5, E_W = 1, the authors’ code)', () => {
  const problem = { classes: 10, majority: 5, featureBudget: 5, classifierBudget: 1 };

  it('balanced: the simplex ETF, features aligned with classifiers', () => {
    const solution = solveLayerPeeled({ ...problem, ratio: 1 });
    const a = angles(solution.w, 10, solution.dim);
    expect(a.mean).toBeCloseTo(-1 / 9, 3);
    expect(a.std).toBeLessThan(1e-3);
    expect(selfDuality(solution.w, solution.h)).toBeLessThan(1e-3);
  });

  it('imbalanced: the minority classifiers’ cosine grows with R to 1 (minority collapse)', () => {
    const [balanced, ten, fifteen, hundred] = minorityCosineCurve(problem, [1, 10, 15, 100]);
    console.info(`LPM minority cosine: R = 1 ${balanced.toFixed(4)}, R = 10 ${ten.toFixed(4)}, R = 15 ${fifteen.toFixed(4)}, R = 100 ${hundred.toFixed(4)}`);
    expect(Math.abs(balanced + 1 / 9)).toBeLessThan(1e-3);
    expect(Math.abs(ten - 0.52)).toBeLessThan(0.03);
    expect(fifteen).toBeGreaterThan(0.999);
    expect(hundred).toBeGreaterThan(0.999);
  });
});

describe('softmax cross-entropy', () => {
  beforeAll(() => useBackend('wasm'));

  it('is the mean of −z_y + log Σ exp z over the points, plus (λ/2)‖θ‖²', () => {
    const logits = tf.tensor2d([1, 2, 3, 0, 0, 0], [2, 3]);
    const ys = tf.tensor2d([0, 0, 1, 1, 0, 0], [2, 3]);
    const xs = tf.zeros([2, 1]) as tf.Tensor2D;
    const v = tf.variable(tf.tensor1d([1, 2]));
    const byHand = (Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3 + Math.log(3)) / 2;
    expect(softmaxCrossEntropy(xs, ys, () => logits).loss(0).dataSync()[0]).toBeCloseTo(byHand, 5);
    expect(softmaxCrossEntropy(xs, ys, () => logits, { variables: [v], rate: 0.1 }).loss(0).dataSync()[0]).toBeCloseTo(byHand + 0.05 * 5, 5);
    tf.dispose([logits, ys, xs, v]);
  });
});

describe('imbalanced Gaussian classes and the step schedule', () => {
  beforeAll(() => useBackend('wasm'));

  it('SGD with momentum takes PyTorch’s steps (v ← μv + g, θ ← θ − ηv) with the rate the schedule gives', async () => {
    // f(θ) = θ²/2 from θ = 1, μ = 0.9, η = 0.1 dropping to 0.01 at step 1: θ = 0.9, 0.9 − 0.01·1.8, then − 0.01·(0.9·1.8 + 0.882).
    const theta = tf.variable(tf.scalar(1));
    const model = { variables: [theta], parameterCount: 1, dispose: () => theta.dispose() } as unknown as Model;
    const objective = { loss: () => tf.mul(0.5, tf.square(theta)) as tf.Scalar, dispose: () => {} };
    const stepper = chooseStepper(model, objective, { optimizer: 'sgd', lr: 0.1, momentum: 0.9, lrDecay: { at: [1], factor: 0.1 } }, []);
    expect(stepper.path).toBe('tape');
    const seen: number[] = [];
    for (let step = 0; step < 3; step++) {
      Array.from(stepper.stepInParts(step));
      seen.push((await theta.data())[0]);
    }
    expect(seen[0]).toBeCloseTo(0.9, 6);
    expect(seen[1]).toBeCloseTo(0.882, 6);
    expect(seen[2]).toBeCloseTo(0.882 - 0.01 * (0.9 * 1.8 + 0.882), 6);
    stepper.dispose();
    theta.dispose();
  });

  it('the first K_A classes have n points, the others n/R; centres at distance `separation`; seeded', () => {
    const spec = { classes: 4, majority: 2, perClass: 20, ratio: 10, dim: 5, separation: 3, spread: 0.5, testPerClass: 7 };
    const { train, test, centres } = gaussianClasses(spec, 3);
    const count = (labels: Int32Array, c: number) => labels.filter((l) => l === c).length;
    expect([0, 1, 2, 3].map((c) => count(train.labels, c))).toEqual([20, 20, 2, 2]);
    expect([0, 1, 2, 3].map((c) => count(test.labels, c))).toEqual([7, 7, 7, 7]);
    for (let c = 0; c < 4; c++) expect(Math.hypot(...centres.subarray(c * 5, c * 5 + 5))).toBeCloseTo(3, 9);
    expect(gaussianClasses(spec, 3).train.x).toEqual(train.x);
    expect(gaussianClasses({ ...spec, ratio: 1000 }, 3).train.labels.length).toBe(42);
    // Orthogonal centres: the same first direction, then each made orthogonal to those before; still at distance 3.
    const orthogonal = gaussianClasses({ ...spec, centres: 'orthogonal' }, 3).centres;
    const row = (m: Float64Array, c: number) => Array.from(m.subarray(c * 5, c * 5 + 5));
    row(orthogonal, 0).forEach((v, j) => expect(v).toBeCloseTo(centres[j], 12));
    for (let c = 0; c < 4; c++) {
      expect(Math.hypot(...row(orthogonal, c))).toBeCloseTo(3, 9);
      for (let e = 0; e < c; e++) expect(row(orthogonal, c).reduce((s, v, j) => s + v * orthogonal[e * 5 + j], 0)).toBeCloseTo(0, 9);
    }
    let [random, apart] = [0, 0];
    for (let c = 1; c < 4; c++) [random, apart] = [random + Math.abs(row(centres, c).reduce((s, v, j) => s + v * centres[j], 0)), apart + 1];
    expect(random / apart).toBeGreaterThan(0.1);
  });

  it('MNIST classes: the same imbalance over the shipped digits, test digits apart from the training ones', async () => {
    const digits = await NODE_SOURCES.loadDigits();
    const { train, test } = mnistClasses(digits, { majority: 5, perClass: 30, ratio: 10, testPerClass: 20 });
    const count = (labels: Int32Array, c: number) => labels.filter((l) => l === c).length;
    expect(Array.from({ length: 10 }, (_, c) => count(train.labels, c))).toEqual([30, 30, 30, 30, 30, 3, 3, 3, 3, 3]);
    expect(Array.from({ length: 10 }, (_, c) => count(test.labels, c))).toEqual(new Array(10).fill(20));
    expect(train.x.length).toBe(train.labels.length * MNIST_PIXELS);
    const image = (x: Float32Array, i: number) => x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS).join();
    // The first training digit is the package's first zero; no test image is a training image.
    expect(image(train.x, 0)).toBe(Array.from(digits.pixels.subarray(0, MNIST_PIXELS), (b) => b / 255).map((v) => Math.fround(v)).join());
    const seen = new Set(Array.from({ length: train.labels.length }, (_, i) => image(train.x, i)));
    expect(Array.from({ length: test.labels.length }, (_, i) => image(test.x, i)).some((t) => seen.has(t))).toBe(false);
    expect(() => mnistClasses(digits, { majority: 5, perClass: 90, ratio: 1, testPerClass: 20 })).toThrow(/shipped/);
  });

  it('the learning rate drops by the factor at each given step', () => {
    const train = { optimizer: 'sgd' as const, lr: 0.1, lrDecay: { at: [10, 20], factor: 0.1 } };
    expect([0, 9, 10, 19, 20, 99].map((step) => learningRateAt(train, step))).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
  });
});
