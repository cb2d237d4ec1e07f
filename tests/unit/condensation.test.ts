import { describe, expect, it } from 'vitest';
import {
  amplitudes,
  condensedDirections,
  cosine,
  cosineSimilarityMatrix,
  neuronVectors,
  orientationAngles,
  relativeDistance,
} from '../../src/core/analysis/condensation';

const deg = (a: number) => (a * Math.PI) / 180;
const at = (angle: number, r = 1): number[] => [r * Math.cos(deg(angle)), r * Math.sin(deg(angle))];

describe('neuron input weights', () => {
  it('reads θ_j = (w_j, b_j) from tfjs layouts ([d, m] weights)', () => {
    // d = 2 inputs, m = 3 neurons: weights row i holds input i's weight to each neuron.
    expect(neuronVectors({ inputDim: 2, weights: [1, 2, 3, 4, 5, 6], bias: [7, 8, 9] })).toEqual([
      [1, 4, 7],
      [2, 5, 8],
      [3, 6, 9],
    ]);
  });

  it('orientation is atan2(b, w) in degrees; amplitude is ‖θ‖·|a|', () => {
    expect(orientationAngles([[1, 0], [0, 1], [-1, 0], [1, -1]])).toEqual([0, 90, 180, -45]);
    expect(amplitudes([[3, 4], [0, 2]], [-2, 0.5])).toEqual([10, 1]);
    expect(amplitudes([[3, 4]])).toEqual([5]);
  });
});

describe('cosine similarity', () => {
  it('is 1 for parallel, −1 for opposite, 0 for orthogonal vectors', () => {
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
    expect(cosine([1, 0], [0, 3])).toBeCloseTo(0, 12);
    const matrix = cosineSimilarityMatrix([at(0), at(60), at(180)]);
    expect(Array.from(matrix).map((v) => Number(v.toFixed(6)))).toEqual([1, 0.5, -1, 0.5, 1, -0.5, -1, -0.5, 1]);
  });
});

describe('condensed directions', () => {
  it('finds two clusters built at known angles, one of them weak-amplitude noise aside', () => {
    const thetas = [at(30), at(33), at(27, 2), at(-150), at(-148, 3), at(95, 0.01)];
    const weight = amplitudes(thetas);
    const found = condensedDirections(thetas, weight, { toleranceDeg: 10, massFraction: 0.9 });
    expect(found.count).toBe(2);
    expect(found.capped).toBe(false);
    const [low, high] = orientationAngles(found.centers).sort((a, b) => a - b);
    expect(low).toBeGreaterThanOrEqual(-150 - 1e-9);
    expect(low).toBeLessThanOrEqual(-148 + 1e-9);
    expect(high).toBeGreaterThanOrEqual(27 - 1e-9);
    expect(high).toBeLessThanOrEqual(33 + 1e-9);
    expect(found.covered).toBeGreaterThan(0.99);
  });

  it('needs many directions for spread-out neurons and reports a cap', () => {
    const spread = Array.from({ length: 72 }, (_, i) => at(i * 5));
    const found = condensedDirections(spread, amplitudes(spread), { toleranceDeg: 10, massFraction: 0.9, maxCount: 8 });
    expect(found.capped).toBe(true);
    expect(found.count).toBe(9);
  });

  it('counts amplitude, not neurons', () => {
    // Many small neurons spread out, two big ones: the big ones hold > 90 %.
    const thetas = [...Array.from({ length: 36 }, (_, i) => at(i * 10, 0.001)), at(0, 10), at(180, 10)];
    expect(condensedDirections(thetas, amplitudes(thetas)).count).toBe(2);
  });
});

describe('relative distance RD', () => {
  it('is ‖θ − θ₀‖ / ‖θ₀‖', () => {
    expect(relativeDistance([3, 4], [3, 4])).toBe(0);
    expect(relativeDistance([6, 8], [3, 4])).toBeCloseTo(1, 12);
    expect(relativeDistance([0, 0, 1], [1, 0, 0])).toBeCloseTo(Math.SQRT2, 12);
  });
});
