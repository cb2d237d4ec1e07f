/**
 * Discrete Fourier analysis of samples on a uniform grid. fft.js does the transforms; sizes that are not a
 * power of two (the papers' 61 points) go through Bluestein's chirp-z identity on power-of-two fft.js
 * transforms, so every size costs O(n log n) and matches the plain DFT.
 */
import FFT from 'fft.js';

export interface ComplexSpectrum {
  re: Float64Array;
  im: Float64Array;
}

const plans = new Map<number, FFT>();
function plan(size: number): FFT {
  let fft = plans.get(size);
  if (!fft) {
    fft = new FFT(size);
    plans.set(size, fft);
  }
  return fft;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

function interleave(re: ArrayLike<number>, im: ArrayLike<number> | null, size: number): number[] {
  const out = new Array<number>(2 * size).fill(0);
  for (let j = 0; j < re.length; j++) {
    out[2 * j] = re[j];
    out[2 * j + 1] = im ? im[j] : 0;
  }
  return out;
}

function powerOfTwoDft(re: ArrayLike<number>, im: ArrayLike<number> | null): ComplexSpectrum {
  const n = re.length;
  const fft = plan(n);
  const out = fft.createComplexArray() as number[];
  fft.transform(out, interleave(re, im, n));
  const spectrum = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    spectrum.re[k] = out[2 * k];
    spectrum.im[k] = out[2 * k + 1];
  }
  return spectrum;
}

function bluesteinDft(re: ArrayLike<number>, im: ArrayLike<number> | null): ComplexSpectrum {
  const n = re.length;
  let m = 2;
  while (m < 2 * n - 1) m *= 2;
  // chirp_j = exp(iπ j²/n); j² is reduced mod 2n so the angle stays small and accurate.
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const angle = (Math.PI * ((j * j) % (2 * n))) / n;
    chirpRe[j] = Math.cos(angle);
    chirpIm[j] = Math.sin(angle);
  }
  const aRe = new Float64Array(m);
  const aIm = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const xr = re[j];
    const xi = im ? im[j] : 0;
    // x_j · conj(chirp_j)
    aRe[j] = xr * chirpRe[j] + xi * chirpIm[j];
    aIm[j] = xi * chirpRe[j] - xr * chirpIm[j];
  }
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    bRe[j] = chirpRe[j];
    bIm[j] = chirpIm[j];
    if (j > 0) {
      bRe[m - j] = chirpRe[j];
      bIm[m - j] = chirpIm[j];
    }
  }
  const fa = powerOfTwoDft(aRe, aIm);
  const fb = powerOfTwoDft(bRe, bIm);
  const product = interleave(
    fa.re.map((r, k) => r * fb.re[k] - fa.im[k] * fb.im[k]),
    fa.im.map((i, k) => fa.re[k] * fb.im[k] + i * fb.re[k]),
    m,
  );
  const fft = plan(m);
  const conv = fft.createComplexArray() as number[];
  fft.inverseTransform(conv, product);
  const spectrum = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const cr = conv[2 * k];
    const ci = conv[2 * k + 1];
    // X_k = conj(chirp_k) · conv_k
    spectrum.re[k] = cr * chirpRe[k] + ci * chirpIm[k];
    spectrum.im[k] = ci * chirpRe[k] - cr * chirpIm[k];
  }
  return spectrum;
}

/** X_k = Σ_j x_j e^{−2πi jk/n}, k = 0 … n−1, for any n ≥ 1. */
export function dft(re: ArrayLike<number>, im: ArrayLike<number> | null = null): ComplexSpectrum {
  const n = re.length;
  if (n === 0) throw new Error('dft of an empty signal');
  if (n === 1) return { re: Float64Array.of(re[0]), im: Float64Array.of(im ? im[0] : 0) };
  return isPowerOfTwo(n) ? powerOfTwoDft(re, im) : bluesteinDft(re, im);
}

/**
 * One-sided amplitude spectrum for k = 0 … ⌊n/2⌋, scaled so that A·sin(2πkx/L + φ) sampled on n points
 * of a period L has amplitude A at k (and a constant c has amplitude |c| at k = 0).
 */
export function amplitudeSpectrum(spectrum: ComplexSpectrum): Float64Array {
  const n = spectrum.re.length;
  const half = Math.floor(n / 2);
  return Float64Array.from({ length: half + 1 }, (_, k) => {
    const scale = k === 0 || 2 * k === n ? 1 / n : 2 / n;
    return scale * Math.hypot(spectrum.re[k], spectrum.im[k]);
  });
}

/**
 * Frequencies k ≥ 1 of the one-sided spectrum that are local maxima (strictly above the left neighbour,
 * at least the right one) and at least `relativeThreshold` of the largest such amplitude.
 */
export function findPeaks(amplitude: ArrayLike<number>, relativeThreshold: number): number[] {
  let largest = 0;
  for (let k = 1; k < amplitude.length; k++) largest = Math.max(largest, amplitude[k]);
  if (largest === 0) return [];
  const peaks: number[] = [];
  for (let k = 1; k < amplitude.length; k++) {
    const left = amplitude[k - 1];
    const right = k + 1 < amplitude.length ? amplitude[k + 1] : -Infinity;
    if (amplitude[k] > left && amplitude[k] >= right && amplitude[k] >= relativeThreshold * largest) peaks.push(k);
  }
  return peaks;
}

/** Δ_F(k) = |ĥ_k − ŷ_k| / |ŷ_k| at each frequency in `ks` (target ŷ, output ĥ). */
export function relativeErrorAt(target: ComplexSpectrum, output: ComplexSpectrum, ks: readonly number[]): number[] {
  return ks.map((k) => {
    const diff = Math.hypot(output.re[k] - target.re[k], output.im[k] - target.im[k]);
    return diff / Math.hypot(target.re[k], target.im[k]);
  });
}

/** First step at which `values` (one per step in `steps`) is below `threshold`, or null if never. */
export function firstStepBelow(steps: readonly number[], values: readonly number[], threshold: number): number | null {
  const i = values.findIndex((v) => v < threshold);
  return i < 0 ? null : steps[i];
}

/** First step at which `values` is at `level` or above, or null if never (NaN never is). */
export function firstStepAtLeast(steps: readonly number[], values: readonly number[], level: number): number | null {
  const i = values.findIndex((v) => v >= level);
  return i < 0 ? null : steps[i];
}

/**
 * When `values` (one per step in `steps`) first fell below `threshold`, and whether that still holds: `lost`, the
 * step it last rose back to the threshold or above, while it is there now; `regained`, the step it last fell below
 * again after having risen (null: it did not). A value that is not a number counts as not below.
 */
export function belowHistory(steps: readonly number[], values: readonly number[], threshold: number): { first: number | null; lost: number | null; regained: number | null } {
  const first = values.findIndex((v) => v < threshold);
  if (first < 0) return { first: null, lost: null, regained: null };
  const below = (i: number) => values[i] < threshold;
  // The start of the stretch the last value belongs to, and of the stretch before it.
  const stretchStart = (end: number) => {
    let i = end;
    while (i > first && below(i - 1) === below(end)) i--;
    return i;
  };
  const last = values.length - 1;
  const current = stretchStart(last);
  if (!below(last)) return { first: steps[first], lost: steps[current], regained: null };
  if (current === first) return { first: steps[first], lost: null, regained: null };
  return { first: steps[first], lost: steps[stretchStart(current - 1)], regained: steps[current] };
}

/**
 * A `belowHistory` in words, naming the crossings down (`reached`: "learned") and up (`lost`: "lost"): "learned at
 * step 20, lost again at step 420"; `never` while it was never below.
 */
export function describeBelowHistory(history: ReturnType<typeof belowHistory>, words: { reached: string; lost: string; never: string }): string {
  const { first, lost, regained } = history;
  const { reached } = words;
  if (first === null) return words.never;
  if (lost === null) return `${reached} at step ${first}`;
  if (regained === null) return `${reached} at step ${first}, ${words.lost} again at step ${lost}`;
  return `${reached} at step ${first}, ${words.lost} at step ${lost}, ${reached} again at step ${regained}`;
}

/** 2-D DFT of an n × m row-major array: the 1-D transform along every row, then along every column. */
export function dft2(values: ArrayLike<number>, rows: number, cols: number): ComplexSpectrum {
  const re = new Float64Array(rows * cols);
  const im = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = dft(Array.from({ length: cols }, (_, c) => values[r * cols + c]));
    re.set(row.re, r * cols);
    im.set(row.im, r * cols);
  }
  for (let c = 0; c < cols; c++) {
    const column = dft(
      Array.from({ length: rows }, (_, r) => re[r * cols + c]),
      Array.from({ length: rows }, (_, r) => im[r * cols + c]),
    );
    for (let r = 0; r < rows; r++) {
      re[r * cols + c] = column.re[r];
      im[r * cols + c] = column.im[r];
    }
  }
  return { re, im };
}

/** |k| of each 2-D frequency index, with indices above n/2 read as negative frequencies. */
export function radialFrequency(rows: number, cols: number): Float64Array {
  const signed = (k: number, n: number) => (k <= n / 2 ? k : k - n);
  return Float64Array.from({ length: rows * cols }, (_, i) => Math.hypot(signed(Math.floor(i / cols), rows), signed(i % cols, cols)));
}

/**
 * Radial bands [edges[b], edges[b+1]) of |k| up to the Nyquist radius n/2, the last band taking everything
 * beyond (the corners), and the relative error ‖ĥ − ŷ‖ / ‖ŷ‖ over the coefficients of each band.
 */
export function bandEdges(rows: number, cols: number, bands: number): number[] {
  const nyquist = Math.min(rows, cols) / 2;
  return Array.from({ length: bands + 1 }, (_, b) => (b === bands ? Infinity : (b * nyquist) / bands));
}

export function relativeErrorByBand(target: ComplexSpectrum, output: ComplexSpectrum, radius: ArrayLike<number>, edges: readonly number[]): number[] {
  const diff = new Float64Array(edges.length - 1);
  const base = new Float64Array(edges.length - 1);
  for (let i = 0; i < radius.length; i++) {
    const b = edges.findIndex((edge, j) => j < edges.length - 1 && radius[i] >= edge && radius[i] < edges[j + 1]);
    diff[b] += (output.re[i] - target.re[i]) ** 2 + (output.im[i] - target.im[i]) ** 2;
    base[b] += target.re[i] ** 2 + target.im[i] ** 2;
  }
  return Array.from(diff, (d, b) => Math.sqrt(d / base[b]));
}

/**
 * |X_kl| / (rows · cols) of a 2-D spectrum with the zero frequency moved to the centre (row ⌊rows/2⌋,
 * column ⌊cols/2⌋): the usual picture of an image's spectrum, low frequencies in the middle.
 */
export function centeredAmplitude2(spectrum: ComplexSpectrum, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const [dr, dc] = [Math.floor(rows / 2), Math.floor(cols / 2)];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      out[((r + dr) % rows) * cols + ((c + dc) % cols)] = Math.hypot(spectrum.re[i], spectrum.im[i]) / (rows * cols);
    }
  }
  return out;
}
