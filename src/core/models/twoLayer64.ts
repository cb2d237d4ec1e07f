/**
 * A two-layer tanh network f(x) = Σ_k a_k tanh(w_k x + b_k) in float64 plain arithmetic: its loss
 * L = (1/2n) Σ_i (f(x_i) − y_i)², the exact gradient and Hessian, full-batch gradient descent, and the one-step
 * embedding that splits a neuron (Zhang et al., arXiv 2105.14573). No tensors: networks of one to three neurons,
 * an exact splitting and an exact Hessian (the embedding principle), the Ritz energy's own gradient (DNN against Jacobi),
 * a network and its antisymmetric twin (initialization-induced error).
 */
import { normalSampler } from '../../core/random';

/** Width m: input weights w, biases b, output weights a, each of length m. */
export interface TwoLayer {
  w: Float64Array;
  b: Float64Array;
  a: Float64Array;
}

export interface Data {
  x: Float64Array;
  y: Float64Array;
}

export const widthOf = (net: TwoLayer): number => net.a.length;

/** w and b drawn from N(0, std²), then a from N(0, outputStd²) (by default the same std). */
export function initTwoLayer(width: number, std: number, seed: number, outputStd = std): TwoLayer {
  const draw = normalSampler(seed);
  const fill = (s: number) => Float64Array.from({ length: width }, () => draw(s));
  const w = fill(std);
  const b = fill(std);
  return { w, b, a: fill(outputStd) };
}

/**
 * The antisymmetric initialization (Zhang, Xu, Luo, Ma, arXiv 1905.07777): h = (f(·; θ) − f(·; θ′))/√2 with
 * θ′ = θ, output 0 everywhere. Returned as the width-2m network of f(·; θ) − f(·; θ′) (the copies' output weights
 * negated); h is 1/√2 of it.
 */
export function antisymmetricPair(net: TwoLayer): TwoLayer {
  const twice = (v: Float64Array, sign: number) => {
    const out = new Float64Array(2 * v.length);
    out.set(v);
    out.set(v.map((x) => sign * x), v.length);
    return out;
  };
  return { w: twice(net.w, 1), b: twice(net.b, 1), a: twice(net.a, -1) };
}

export function copyNet(net: TwoLayer): TwoLayer {
  return { w: net.w.slice(), b: net.b.slice(), a: net.a.slice() };
}

/** The network's output at each x. */
export function predict(net: TwoLayer, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let f = 0;
    for (let k = 0; k < net.a.length; k++) f += net.a[k] * Math.tanh(net.w[k] * x[i] + net.b[k]);
    out[i] = f;
  }
  return out;
}

export function loss(net: TwoLayer, data: Data): number {
  const f = predict(net, data.x);
  let sum = 0;
  for (let i = 0; i < f.length; i++) sum += (f[i] - data.y[i]) ** 2;
  return sum / (2 * f.length);
}

/** Parameters as one vector (w, b, a) and back: the order of the gradient and the Hessian. */
export function flatten(net: TwoLayer): Float64Array {
  const m = widthOf(net);
  const theta = new Float64Array(3 * m);
  theta.set(net.w, 0);
  theta.set(net.b, m);
  theta.set(net.a, 2 * m);
  return theta;
}

export function unflatten(theta: Float64Array): TwoLayer {
  const m = theta.length / 3;
  return { w: theta.slice(0, m), b: theta.slice(m, 2 * m), a: theta.slice(2 * m) };
}

/**
 * The gradient of L as a network (∂L/∂w, ∂L/∂b, ∂L/∂a), and the loss before the step. `scratch` (length n·m) holds
 * the activations between the two passes, so a long run allocates nothing per step.
 */
export function gradient(net: TwoLayer, data: Data, grad: TwoLayer = { w: new Float64Array(widthOf(net)), b: new Float64Array(widthOf(net)), a: new Float64Array(widthOf(net)) }, scratch = new Float64Array(data.x.length * widthOf(net))): { grad: TwoLayer; loss: number } {
  const m = widthOf(net);
  const n = data.x.length;
  const { w, b, a } = net;
  grad.w.fill(0);
  grad.b.fill(0);
  grad.a.fill(0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const xi = data.x[i];
    const row = i * m;
    let f = 0;
    for (let k = 0; k < m; k++) {
      const t = Math.tanh(w[k] * xi + b[k]);
      scratch[row + k] = t;
      f += a[k] * t;
    }
    const r = f - data.y[i];
    sum += r * r;
    const scale = r / n;
    for (let k = 0; k < m; k++) {
      const t = scratch[row + k];
      grad.a[k] += scale * t;
      const dz = scale * a[k] * (1 - t * t);
      grad.w[k] += dz * xi;
      grad.b[k] += dz;
    }
  }
  return { grad, loss: sum / (2 * n) };
}

/** A full-batch gradient-descent trainer that reuses its buffers; `step` returns the loss before the step. */
export function gradientDescent(net: TwoLayer, data: Data, lr: number): { step(): number } {
  const m = widthOf(net);
  const grad = { w: new Float64Array(m), b: new Float64Array(m), a: new Float64Array(m) };
  const scratch = new Float64Array(data.x.length * m);
  return {
    step() {
      const { loss: before } = gradient(net, data, grad, scratch);
      for (let k = 0; k < m; k++) {
        net.w[k] -= lr * grad.w[k];
        net.b[k] -= lr * grad.b[k];
        net.a[k] -= lr * grad.a[k];
      }
      return before;
    },
  };
}

/**
 * The exact Hessian of L in the order of `flatten`, row-major: (1/n) Σ_i (∇f_i ∇f_iᵀ + r_i ∇²f_i), where ∇²f_i
 * couples only a neuron's own (w, b, a).
 */
export function hessian(net: TwoLayer, data: Data): Float64Array {
  const m = widthOf(net);
  const p = 3 * m;
  const n = data.x.length;
  const h = new Float64Array(p * p);
  const f = predict(net, data.x);
  const g = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const xi = data.x[i];
    const r = f[i] - data.y[i];
    for (let k = 0; k < m; k++) {
      const t = Math.tanh(net.w[k] * xi + net.b[k]);
      const d1 = 1 - t * t;
      const d2 = -2 * t * d1;
      const a = net.a[k];
      g[k] = a * d1 * xi;
      g[m + k] = a * d1;
      g[2 * m + k] = t;
      // r ∇²f within neuron k: (w, w), (w, b), (b, b), (w, a), (b, a); (a, a) is zero.
      const [iw, ib, ia] = [k, m + k, 2 * m + k];
      const add = (u: number, v: number, value: number) => {
        h[u * p + v] += value;
        if (u !== v) h[v * p + u] += value;
      };
      add(iw, iw, (r * a * d2 * xi * xi) / n);
      add(iw, ib, (r * a * d2 * xi) / n);
      add(ib, ib, (r * a * d2) / n);
      add(iw, ia, (r * d1 * xi) / n);
      add(ib, ia, (r * d1) / n);
    }
    for (let u = 0; u < p; u++) for (let v = 0; v < p; v++) h[u * p + v] += (g[u] * g[v]) / n;
  }
  return h;
}

/**
 * The one-step embedding of the paper: neuron `k` becomes two neurons with its input weights (w_k, b_k) and output
 * weights α·a_k and (1 − α)·a_k; the new neuron goes last. The output is the same function of x, and a critical
 * point of the narrow network becomes one of the wide network (its gradient splits as (∂L/∂θ_k)·(α, 1 − α)).
 */
export function splitNeuron(net: TwoLayer, k: number, alpha: number): TwoLayer {
  const m = widthOf(net);
  if (!Number.isInteger(k) || k < 0 || k >= m) throw new RangeError(`neuron ${k} is not one of the network's ${m}`);
  const grow = (v: Float64Array, last: number) => {
    const out = new Float64Array(m + 1);
    out.set(v);
    out[m] = last;
    return out;
  };
  const a = grow(net.a, (1 - alpha) * net.a[k]);
  a[k] = alpha * net.a[k];
  return { w: grow(net.w, net.w[k]), b: grow(net.b, net.b[k]), a };
}

/** The narrow network split neuron by neuron until it has `width` neurons (each split takes the neuron with the largest |a|, α = ½). */
export function embedInto(net: TwoLayer, width: number): TwoLayer {
  if (width < widthOf(net)) throw new RangeError(`cannot embed a width-${widthOf(net)} network into width ${width}`);
  let out = copyNet(net);
  while (widthOf(out) < width) {
    let k = 0;
    for (let j = 1; j < widthOf(out); j++) if (Math.abs(out.a[j]) > Math.abs(out.a[k])) k = j;
    out = splitNeuron(out, k, 0.5);
  }
  return out;
}
