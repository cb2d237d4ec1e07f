import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../../src/core/models/mlp';
import { initParams, initStd, layerSizes, neuronScales, parameterCount, type LayerParams, type MlpSpec } from '../../src/core/models/mlpSpec';
import { useBackend } from '../support/engine';

function std(values: Float32Array): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('initialization std = scale · d_in^−γ', () => {
  it.each([
    [0.5, 1],
    [1, 1],
    [1.5, 2],
    [0, 0.1],
  ])('γ = %f, scale = %f: measured std of every layer matches', (gamma, scale) => {
    const spec: MlpSpec = { inputDim: 1, widths: [400, 300], outputDim: 1, activation: 'tanh', init: { gamma, scale } };
    const layers = initParams(spec, 3);
    expect(layers.map((l) => [l.fanIn, l.fanOut])).toEqual([
      [1, 400],
      [400, 300],
      [300, 1],
    ]);
    // Weights and biases together; a layer with ≥ 400 draws is within 10 % of the formula.
    for (const layer of layers) {
      const values = Float32Array.of(...layer.weights, ...layer.bias);
      const expected = initStd(layer.fanIn, { gamma, scale });
      expect(expected).toBeCloseTo(scale * layer.fanIn ** -gamma, 12);
      const tolerance = values.length >= 10_000 ? 0.03 : 0.1;
      expect(Math.abs(std(values) / expected - 1)).toBeLessThan(tolerance);
    }
  });

  it('is reproducible from the seed', () => {
    const spec: MlpSpec = { inputDim: 1, widths: [20], outputDim: 1, activation: 'tanh', init: { gamma: 0.5, scale: 1 } };
    expect(initParams(spec, 11)).toEqual(initParams(spec, 11));
    expect(initParams(spec, 11)[0].weights).not.toEqual(initParams(spec, 12)[0].weights);
  });

  it('counts parameters', () => {
    const spec: MlpSpec = { inputDim: 1, widths: [200, 200, 100], outputDim: 1, activation: 'tanh', init: { gamma: 0.5, scale: 1 } };
    expect(layerSizes(spec)).toEqual([1, 200, 200, 100, 1]);
    expect(parameterCount(spec)).toBe(2 * 200 + 201 * 200 + 201 * 100 + 101);
  });
});

describe('MscaleDNN first layer', () => {
  it('splits the first layer into equal groups of input scales', () => {
    expect(Array.from(neuronScales(6, [1, 2, 3]))).toEqual([1, 1, 2, 2, 3, 3]);
    expect(Array.from(neuronScales(5, [1, 2]))).toEqual([1, 1, 1, 2, 2]);
  });

  it('scales x·W per neuron but not the bias: relu(x) + relu(3x − 1) at x = 2 is 2 + 5', async () => {
    await useBackend('wasm');
    const spec: MlpSpec = { inputDim: 1, widths: [2], outputDim: 1, activation: 'relu', init: { gamma: 0, scale: 1 }, scales: [1, 3] };
    const params: LayerParams[] = [
      { fanIn: 1, fanOut: 2, weights: Float32Array.of(1, 1), bias: Float32Array.of(0, -1) },
      { fanIn: 2, fanOut: 1, weights: Float32Array.of(1, 1), bias: Float32Array.of(0) },
    ];
    const mlp = new Mlp(spec, params);
    const output = tf.tidy(() => mlp.predict(tf.tensor2d([2], [1, 1])).dataSync()[0]);
    mlp.dispose();
    expect(output).toBeCloseTo(7, 5);
  });
});
