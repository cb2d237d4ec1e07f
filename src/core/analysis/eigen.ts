/**
 * Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (float64): accurate to rounding for the
 * Hessians of networks with a few dozen parameters, where a zero eigenvalue must show as zero.
 */

/** The eigenvalues of the symmetric p×p matrix `matrix` (row-major, not modified), ascending. */
export function symmetricEigenvalues(matrix: ArrayLike<number>, p: number): number[] {
  if (matrix.length !== p * p) throw new RangeError(`a ${p}×${p} matrix has ${p * p} entries, not ${matrix.length}`);
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let i = 0; i < p; i++) {
      diagonal += a[i * p + i] ** 2;
      for (let j = i + 1; j < p; j++) off += a[i * p + j] ** 2;
    }
    if (off <= 1e-32 * diagonal || off === 0) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j];
        if (aij === 0) continue;
        // The rotation that zeroes a_ij (Golub & Van Loan, the symmetric Schur decomposition).
        const tau = (a[j * p + j] - a[i * p + i]) / (2 * aij);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i];
          const akj = a[k * p + j];
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k];
          const ajk = a[j * p + k];
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
      }
    }
  }
  return Array.from({ length: p }, (_, i) => a[i * p + i]).sort((x, y) => x - y);
}
