/**
 * Curvature of a tanh MLP's mean squared error in float64, no tfjs: the gradient and the Hessian-vector product
 * by Pearlmutter's R-operator (forward-over-reverse, written out for the MLP: tfjs' nested gradients drop the
 * second derivative of tanh), the largest eigenvalue λ_max by power iteration on it, and the curvature along the
 * gradient gᵀHg/‖g‖². Parameters are one flat vector in the order of mlpToNamed: layer 0 weights ([fanIn, fanOut],
 * row-major), layer 0 bias, layer 1 weights, …
 */
import type { LayerParams } from '../models/mlpSpec';

/** The data and the layer sizes [input, hidden…, output]; hidden layers tanh, the output linear. */
export interface CurvatureProblem {
  sizes: readonly number[];
  /** n × sizes[0], row-major. */
  x: ArrayLike<number>;
  /** n × sizes[last], row-major. */
  y: ArrayLike<number>;
}

export const flatSize = (sizes: readonly number[]): number => sizes.slice(1).reduce((sum, out, l) => sum + (sizes[l] + 1) * out, 0);

/** The layers as one flat float64 vector (the order above). */
export function flatten(layers: readonly Pick<LayerParams, 'weights' | 'bias'>[]): Float64Array {
  const flat = new Float64Array(layers.reduce((sum, l) => sum + l.weights.length + l.bias.length, 0));
  let offset = 0;
  for (const { weights, bias } of layers) {
    flat.set(weights, offset);
    flat.set(bias, (offset += weights.length));
    offset += bias.length;
  }
  return flat;
}

/** Offsets of each layer's weights and bias in the flat vector. */
function layout(sizes: readonly number[]): { w: number; b: number }[] {
  let offset = 0;
  return sizes.slice(1).map((out, l) => {
    const w = offset;
    offset += sizes[l] * out;
    const b = offset;
    offset += out;
    return { w, b };
  });
}

/**
 * The loss L = mean((f(x) − y)²), its gradient, and, when `v` is given, H·v. One forward pass with the tangent
 * R{·} = d/dr (·)(θ + r v) at r = 0 carried beside it, one backward pass with its tangent.
 */
export function lossGradient(problem: CurvatureProblem, theta: ArrayLike<number>, v?: ArrayLike<number>): { loss: number; gradient: Float64Array; hv: Float64Array | null } {
  const { sizes, x, y } = problem;
  const depth = sizes.length - 1;
  const n = x.length / sizes[0];
  const offsets = layout(sizes);
  const tangent = v !== undefined;
  // Activations a_l (a_0 = x) and their tangents, each n × sizes[l].
  const a: Float64Array[] = [Float64Array.from(x)];
  const ra: Float64Array[] = [new Float64Array(x.length)];
  for (let l = 0; l < depth; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const { w, b } = offsets[l];
    const [al, ral] = [a[l], ra[l]];
    const z = new Float64Array(n * fanOut);
    const rz = new Float64Array(tangent ? n * fanOut : 0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < fanOut; j++) {
        let s = theta[b + j];
        let rs = tangent ? v[b + j] : 0;
        for (let k = 0; k < fanIn; k++) {
          const [input, weight] = [al[i * fanIn + k], theta[w + k * fanOut + j]];
          s += input * weight;
          if (tangent) rs += ral[i * fanIn + k] * weight + input * v[w + k * fanOut + j];
        }
        z[i * fanOut + j] = s;
        if (tangent) rz[i * fanOut + j] = rs;
      }
    }
    if (l < depth - 1) {
      for (let i = 0; i < z.length; i++) {
        const t = Math.tanh(z[i]);
        if (tangent) rz[i] *= 1 - t * t;
        z[i] = t;
      }
    }
    a.push(z);
    ra.push(rz);
  }
  const out = a[depth];
  const total = out.length;
  let loss = 0;
  // δ = ∂L/∂(layer output) and its tangent, walking back.
  let delta = new Float64Array(total);
  let rdelta = new Float64Array(tangent ? total : 0);
  for (let i = 0; i < total; i++) {
    const r = out[i] - y[i];
    loss += r * r;
    delta[i] = (2 / total) * r;
    if (tangent) rdelta[i] = (2 / total) * ra[depth][i];
  }
  loss /= total;
  const gradient = new Float64Array(theta.length);
  const hv = tangent ? new Float64Array(theta.length) : null;
  for (let l = depth - 1; l >= 0; l--) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const { w, b } = offsets[l];
    // delta is ∂L/∂z_l here (the output layer is linear; hidden layers were multiplied by tanh′ below).
    const [al, ral] = [a[l], ra[l]];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < fanOut; j++) {
        const d = delta[i * fanOut + j];
        const rd = tangent ? rdelta[i * fanOut + j] : 0;
        gradient[b + j] += d;
        if (hv) hv[b + j] += rd;
        for (let k = 0; k < fanIn; k++) {
          const input = al[i * fanIn + k];
          gradient[w + k * fanOut + j] += input * d;
          if (hv) hv[w + k * fanOut + j] += ral[i * fanIn + k] * d + input * rd;
        }
      }
    }
    if (l === 0) break;
    // ∂L/∂a_l = δ W_lᵀ, then through tanh: ∂L/∂z_{l−1} = ∂L/∂a_l ⊙ (1 − a_l²).
    const next = new Float64Array(n * fanIn);
    const rnext = new Float64Array(tangent ? n * fanIn : 0);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < fanIn; k++) {
        let s = 0;
        let rs = 0;
        for (let j = 0; j < fanOut; j++) {
          s += delta[i * fanOut + j] * theta[w + k * fanOut + j];
          if (tangent) rs += rdelta[i * fanOut + j] * theta[w + k * fanOut + j] + delta[i * fanOut + j] * v[w + k * fanOut + j];
        }
        const t = al[i * fanIn + k];
        const slope = 1 - t * t;
        next[i * fanIn + k] = s * slope;
        // R{tanh′(z)} = −2 t (1 − t²) R{z} = −2 t R{a}.
        if (tangent) rnext[i * fanIn + k] = rs * slope - 2 * t * s * ral[i * fanIn + k];
      }
    }
    delta = next;
    rdelta = rnext;
  }
  return { loss, gradient, hv };
}

export const hessianVector = (problem: CurvatureProblem, theta: ArrayLike<number>, v: ArrayLike<number>): Float64Array => lossGradient(problem, theta, v).hv as Float64Array;

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface PowerIteration {
  /** The eigenvalue of largest magnitude (the Rayleigh quotient of the last vector). */
  value: number;
  /** Its unit eigenvector: the next call's warm start. */
  vector: Float64Array;
  iterations: number;
}

/**
 * Power iteration on H from `start` (a previous eigenvector: warm-started, a few iterations suffice while the
 * weights move little), until the Rayleigh quotient changes by less than `tolerance` relative, at most `maxIterations`.
 */
export function largestEigenvalue(problem: CurvatureProblem, theta: ArrayLike<number>, start: ArrayLike<number>, tolerance = 1e-6, maxIterations = 200): PowerIteration {
  let vector = Float64Array.from(start);
  const norm0 = Math.sqrt(dot(vector, vector));
  for (let i = 0; i < vector.length; i++) vector[i] /= norm0;
  let value = Number.NaN;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const hv = hessianVector(problem, theta, vector);
    const next = dot(vector, hv);
    const norm = Math.sqrt(dot(hv, hv));
    if (norm === 0) return { value: 0, vector, iterations: iteration };
    vector = hv.map((h) => (h * Math.sign(next || 1)) / norm);
    if (Math.abs(next - value) <= tolerance * Math.abs(next)) return { value: next, vector, iterations: iteration };
    value = next;
  }
  return { value, vector, iterations: maxIterations };
}

/** gᵀHg / ‖g‖²: the curvature along the gradient, the direction gradient descent moves (NaN at a zero gradient). */
export function gradientCurvature(problem: CurvatureProblem, theta: ArrayLike<number>): number {
  const { gradient } = lossGradient(problem, theta);
  const squared = dot(gradient, gradient);
  return squared > 0 ? dot(gradient, hessianVector(problem, theta, gradient)) / squared : Number.NaN;
}
