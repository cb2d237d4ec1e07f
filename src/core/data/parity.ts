/**
 * Parity on the hypercube (Xu et al., arXiv 1901.06523 §7): f(x) = Π x_j on {−1, 1}^d, every point of the cube,
 * a seeded random training subset, and the coordinate along the all-ones direction on which the non-uniform DFT
 * is taken. Plain arithmetic, no tfjs.
 */
import { randomLcg } from 'd3-random';

/** The 2^d points of {−1, 1}^d, row-major (2^d × d): coordinate j of point i is +1 where bit j of i is set. */
export function hypercube(d: number): Float64Array {
  const count = 2 ** d;
  const out = new Float64Array(count * d);
  for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) out[i * d + j] = (i >> j) & 1 ? 1 : -1;
  return out;
}

/** Π_j x_j for each row of x (n × d). */
export function parity(x: ArrayLike<number>, d: number): Float64Array {
  return Float64Array.from({ length: x.length / d }, (_, i) => {
    let product = 1;
    for (let j = 0; j < d; j++) product *= x[i * d + j];
    return product;
  });
}

/** t = 1 · x for each row: the position along the all-ones direction (not normalized, so the spectrum's peaks sit at k = ±¼). */
export function allOnesCoordinate(x: ArrayLike<number>, d: number): Float64Array {
  return Float64Array.from({ length: x.length / d }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += x[i * d + j];
    return sum;
  });
}

/** `count` distinct indices of 0 … total − 1, drawn by a seeded partial Fisher–Yates shuffle, ascending. */
export function sampleIndices(total: number, count: number, seed: number): number[] {
  if (count > total) throw new Error(`cannot draw ${count} distinct points of ${total}`);
  const source = randomLcg(seed);
  const order = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(source() * (total - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}

/**
 * The full cube's spectrum along the all-ones direction, exactly: (1/2^d) Σ_x Π x_j e^{−2πik Σ x_j} factorizes into
 * Π_j ½(e^{−2πik} − e^{2πik}) = (−i sin 2πk)^d, so its amplitude is |sin 2πk|^d.
 */
export function paritySpectrum(k: number, d: number): { re: number; im: number } {
  const amplitude = Math.sin(2 * Math.PI * k) ** d;
  // (−i)^d: 1, −i, −1, i for d mod 4 = 0, 1, 2, 3.
  const phase = [
    [1, 0],
    [0, -1],
    [-1, 0],
    [0, 1],
  ][d % 4];
  return { re: amplitude * phase[0], im: amplitude * phase[1] };
}
