/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (float64, no tensors): accurate to
 * rounding for the Hessians of networks with a few dozen parameters, where a zero eigenvalue must show as zero.
 */

/** `a`: n × n symmetric, row-major. Returns eigenvalues in decreasing order and the eigenvectors as the rows of `vectors`. */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const scale = Math.max(1e-300, m.reduce((s, x) => s + x * x, 0));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off <= 1e-32 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        // The rotation that zeroes m[p][q] (Golub & Van Loan, the symmetric Schur step).
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vpk = v[p * n + k];
          const vqk = v[q * n + k];
          v[p * n + k] = c * vpk - s * vqk;
          v[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i]);
  const values = Float64Array.from(order, (i) => m[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((i, r) => vectors.set(v.subarray(i * n, i * n + n), r * n));
  return { values, vectors };
}

/** The eigenvalues of the symmetric p×p matrix `matrix` (row-major, not modified), ascending. */
export function symmetricEigenvalues(matrix: ArrayLike<number>, p: number): number[] {
  if (matrix.length !== p * p) throw new RangeError(`a ${p}×${p} matrix has ${p * p} entries, not ${matrix.length}`);
  return Array.from(symmetricEigen(matrix, p).values).reverse();
}
