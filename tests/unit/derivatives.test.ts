import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDerivative } from '../../src/core/expression';
import { Mlp } from '../../src/core/models/mlp';
import { initParams, type MlpSpec } from '../../src/core/models/mlpSpec';
import { useBackend } from '../support/engine';

describe('derivatives for the model loss', () => {
  beforeAll(() => useBackend('cpu'));

  it('differentiates target expressions symbolically', () => {
    const f2 = compileDerivative('sin(x) + 0.2 * sin(6 * x)', 2);
    for (const x of [-2, 0.3, 1.7]) expect(f2({ x })).toBeCloseTo(-Math.sin(x) - 7.2 * Math.sin(6 * x), 10);
    expect(compileDerivative('x^3', 1)({ x: 2 })).toBeCloseTo(12, 12);
    expect(() => compileDerivative('y + x', 2)).toThrow(/unknown name "y"/);
  });

  it.each(['tanh', 'sin', 'sigmoid'] as const)('carries u′ and u″ through a %s network (checked by finite differences)', async (activation) => {
    const spec: MlpSpec = { inputDim: 1, widths: [8, 6], outputDim: 1, activation, init: { gamma: 0, scale: 1 }, scales: [1, 3] };
    const model = new Mlp(spec, initParams(spec, 3));
    const xs = [-0.8, 0.1, 0.9];
    const h = 1e-2;
    const { u, du, d2u } = model.forwardWithDerivatives(tf.tensor2d(xs, [3, 1]));
    const at = async (shift: number) => Array.from(await model.predict(tf.tensor2d(xs.map((x) => x + shift), [3, 1])).data());
    const [minus, centre, plus] = [await at(-h), await at(0), await at(h)];
    const [uv, duv, d2uv] = [await u.data(), await du.data(), await d2u.data()];
    // Finite differences in float32 are good to about 1 % here.
    const near = (value: number, estimate: number) => expect(Math.abs(value - estimate)).toBeLessThan(0.01 * Math.max(1, Math.abs(estimate)));
    xs.forEach((_, i) => {
      expect(uv[i]).toBeCloseTo(centre[i], 5);
      near(duv[i], (plus[i] - minus[i]) / (2 * h));
      near(d2uv[i], (plus[i] - 2 * centre[i] + minus[i]) / h ** 2);
    });
    model.dispose();
  });

  it('refuses an activation without a second derivative', () => {
    const spec: MlpSpec = { inputDim: 1, widths: [4], outputDim: 1, activation: 'relu', init: { gamma: 0, scale: 1 } };
    const model = new Mlp(spec, initParams(spec, 1));
    expect(() => model.forwardWithDerivatives(tf.tensor2d([0], [1, 1]))).toThrow(/smooth activation/);
    model.dispose();
  });
});
