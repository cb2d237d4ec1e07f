/**
 * Frequency in high-dimensional data (Xu et al. 2020, MNIST), where no grid exists:
 * - filtering: smooth a function given on the data points with a Gaussian of variance δ over the inputs; the
 *   smooth part is its low-frequency part and the rest its high-frequency part;
 * - projection: a non-uniform DFT along one direction p of the input space (the first principal component).
 * Values on the points are n × c row-major (c outputs per point, e.g. one-hot labels).
 */

/** D_ij = ‖x_i − x_j‖² for the rows of x (n × d, row-major). */
export function squaredDistances(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) {
        const diff = x[i * d + k] - x[j * d + k];
        sum += diff * diff;
      }
      out[i * n + j] = sum;
      out[j * n + i] = sum;
    }
  }
  return out;
}

/**
 * The Gaussian smoother W_ij = G_δ(x_i − x_j) / Σ_j G_δ(x_i − x_j), G_δ(z) = exp(−‖z‖² / (2δ)): δ is a
 * variance, as in Xu et al.'s filtering method and their code (not a standard deviation).
 */
export function gaussianSmoother(distances: Float64Array, n: number, delta: number): Float64Array {
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += weights[i * n + j] = Math.exp(-distances[i * n + j] / (2 * delta));
    for (let j = 0; j < n; j++) weights[i * n + j] /= total;
  }
  return weights;
}

/** The low-frequency part W·y of values y (n × c) on the points. */
export function lowPart(weights: Float64Array, n: number, y: ArrayLike<number>, c: number): Float64Array {
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = weights[i * n + j];
      if (w === 0) continue;
      for (let k = 0; k < c; k++) out[i * c + k] += w * y[j * c + k];
    }
  }
  return out;
}

/**
 * e_low = ‖y_low − h_low‖ / ‖y_low‖ and e_high = ‖y_high − h_high‖ / ‖y_high‖ for target y and output h
 * (n × c), with y_low = W·y and y_high = y − y_low (SCIENCE.md, filtering method).
 */
export function lowHighErrors(weights: Float64Array, n: number, c: number, target: ArrayLike<number>, output: ArrayLike<number>): { low: number; high: number } {
  const difference = Float64Array.from({ length: n * c }, (_, i) => output[i] - target[i]);
  const [targetLow, differenceLow] = [lowPart(weights, n, target, c), lowPart(weights, n, difference, c)];
  let [lowError, lowNorm, highError, highNorm] = [0, 0, 0, 0];
  for (let i = 0; i < n * c; i++) {
    lowError += differenceLow[i] ** 2;
    lowNorm += targetLow[i] ** 2;
    highError += (difference[i] - differenceLow[i]) ** 2;
    highNorm += (target[i] - targetLow[i]) ** 2;
  }
  return { low: Math.sqrt(lowError / lowNorm), high: Math.sqrt(highError / highNorm) };
}

/** The unit first principal direction of the rows of x (n × d), by power iteration on the centred data. */
export function firstPrincipalDirection(x: ArrayLike<number>, n: number, d: number, iterations = 200): { direction: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += x[i * d + k] / n;
  // A fixed, generic start: the result does not depend on a random draw.
  let v = Float64Array.from({ length: d }, (_, k) => 1 + Math.sin(k + 1));
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += (x[i * d + k] - mean[k]) * v[k];
      for (let k = 0; k < d; k++) next[k] += dot * (x[i * d + k] - mean[k]);
    }
    const norm = Math.hypot(...next);
    v = next.map((value) => value / norm);
  }
  return { direction: v, mean };
}

/** t_j = p · (x_j − mean): each point's coordinate along the direction. */
export function project(x: ArrayLike<number>, n: number, d: number, direction: Float64Array, mean: Float64Array): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    let dot = 0;
    for (let k = 0; k < d; k++) dot += (x[i * d + k] - mean[k]) * direction[k];
    return dot;
  });
}

/** ŷ_k = (1/n) Σ_j y_j e^{−2πi k t_j} for each frequency k, each of the c outputs: K × c row-major. */
export function nudft(t: ArrayLike<number>, y: ArrayLike<number>, c: number, frequencies: readonly number[]): { re: Float64Array; im: Float64Array } {
  const n = t.length;
  const re = new Float64Array(frequencies.length * c);
  const im = new Float64Array(frequencies.length * c);
  frequencies.forEach((k, f) => {
    for (let j = 0; j < n; j++) {
      const phase = -2 * Math.PI * k * t[j];
      const [cos, sin] = [Math.cos(phase), Math.sin(phase)];
      for (let o = 0; o < c; o++) {
        re[f * c + o] += (y[j * c + o] * cos) / n;
        im[f * c + o] += (y[j * c + o] * sin) / n;
      }
    }
  });
  return { re, im };
}

/** Per frequency, the amplitude over the c outputs: sqrt(Σ_o |ŷ_ko|²). */
export function amplitudeOverOutputs(spectrum: { re: Float64Array; im: Float64Array }, c: number): Float64Array {
  return Float64Array.from({ length: spectrum.re.length / c }, (_, f) => {
    let sum = 0;
    for (let o = 0; o < c; o++) sum += spectrum.re[f * c + o] ** 2 + spectrum.im[f * c + o] ** 2;
    return Math.sqrt(sum);
  });
}

/** Per group of frequency indices (a band), ‖ĥ − ŷ‖ / ‖ŷ‖ over its frequencies and the c outputs. */
export function relativeErrorOverOutputs(
  target: { re: Float64Array; im: Float64Array },
  output: { re: Float64Array; im: Float64Array },
  c: number,
  groups: readonly (readonly number[])[],
): number[] {
  return groups.map((group) => {
    let [diff, base] = [0, 0];
    for (const f of group) {
      for (let o = 0; o < c; o++) {
        const i = f * c + o;
        diff += (output.re[i] - target.re[i]) ** 2 + (output.im[i] - target.im[i]) ** 2;
        base += target.re[i] ** 2 + target.im[i] ** 2;
      }
    }
    return Math.sqrt(diff / base);
  });
}
