/** Modular addition as a table: every pair (a, b) of residues mod p, with the answer (a + b) mod p. No tfjs. */

/** Row a·p + b: one-hot a in the first p inputs and one-hot b in the next p (the classic grokking encoding). */
export function modularAddition(p: number): { inputs: Float32Array; answers: Int32Array } {
  const inputs = new Float32Array(p * p * 2 * p);
  const answers = new Int32Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const row = a * p + b;
      inputs[row * 2 * p + a] = 1;
      inputs[row * 2 * p + p + b] = 1;
      answers[row] = (a + b) % p;
    }
  }
  return { inputs, answers };
}
