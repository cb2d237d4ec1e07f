/**
 * The error of a classifier of residues mod p seen in the Fourier basis of Z_p: for each pair, the error over the
 * residues e(c) = P(c) − [c = answer] has the DFT ê(k) = Σ_c e(c) e^{−2πikc/p}; the target's own DFT has modulus 1
 * at every k, so |ê(k)| is a relative error: 0 when the prediction is right at that frequency, 1 for a uniform
 * guess (k ≠ 0). No tfjs here.
 */
import { dft, dft2 } from './spectrum';

/**
 * √(mean over the given pairs of |ê(k)|²) for k = 0 … ⌊p/2⌋ (k and p − k have the same modulus, e being real).
 * `probabilities`: p values per pair (row-major, one row per pair of the whole table), `answers`: the right residue
 * of each pair, `pairs`: the rows to average over.
 */
export function frequencyError(probabilities: ArrayLike<number>, answers: ArrayLike<number>, p: number, pairs: readonly number[]): number[] {
  const half = Math.floor(p / 2);
  const sums = new Float64Array(half + 1);
  const error = new Float64Array(p);
  for (const pair of pairs) {
    for (let c = 0; c < p; c++) error[c] = probabilities[pair * p + c] - (c === answers[pair] ? 1 : 0);
    const { re, im } = dft(error);
    for (let k = 0; k <= half; k++) sums[k] += re[k] ** 2 + im[k] ** 2;
  }
  return Array.from(sums, (sum) => Math.sqrt(sum / pairs.length));
}

/** Softmax of each row of p logits, in float64. */
export function softmaxRows(logits: ArrayLike<number>, p: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let row = 0; row < logits.length / p; row++) {
    let max = -Infinity;
    for (let c = 0; c < p; c++) max = Math.max(max, logits[row * p + c]);
    let sum = 0;
    for (let c = 0; c < p; c++) sum += out[row * p + c] = Math.exp(logits[row * p + c] - max);
    for (let c = 0; c < p; c++) out[row * p + c] /= sum;
  }
  return out;
}

/**
 * A table of p values per pair seen as p functions of (a, b) on Z_p × Z_p: the share of their 2-D spectrum's energy
 * (the constant (0, 0) left out) off the diagonal k_a = k_b. Modular addition's one-hot answer [a + b ≡ c] has all
 * its energy on the diagonal (share 0); a function of a alone has all of it off (share 1). A sparse sample of the
 * table puts energy off the diagonal: frequencies the task does not have.
 */
export function offDiagonalShare(table: ArrayLike<number>, p: number): number {
  let [off, all] = [0, 0];
  const values = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    for (let pair = 0; pair < p * p; pair++) values[pair] = table[pair * p + c];
    const { re, im } = dft2(values, p, p);
    for (let ka = 0; ka < p; ka++) {
      for (let kb = 0; kb < p; kb++) {
        if (ka === 0 && kb === 0) continue;
        const energy = re[ka * p + kb] ** 2 + im[ka * p + kb] ** 2;
        all += energy;
        if (ka !== kb) off += energy;
      }
    }
  }
  return all === 0 ? 0 : off / all;
}
