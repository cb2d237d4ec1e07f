/**
 * −u″ = g on (−1, 1), u(±1) = 0, solved two ways (Xu et al., arXiv 1901.06523 §5): Jacobi iteration on the
 * central-difference system, and a network minimizing the Ritz energy Σ(½ h′² − g h)δx + β(h(x₀)² + h(x_n)²).
 * The network is a two-layer tanh network h(x) = Σ a_k tanh(w_k x + b_k) with its exact gradient and Adam, in
 * float64 (the paper's is a deep network; this one is the app's). No tensors.
 */
import type { TwoLayer } from '../../core/models/twoLayer64';

/** g = Σ c_k sin(ω_k x): the paper's g = sin x + 4 sin 4x − 8 sin 8x + 16 sin 24x is ω = (1, 4, 8, 24), c = (1, 4, −8, 16). */
export interface SineSource {
  omega: readonly number[];
  coefficient: readonly number[];
}

export const PAPER_SOURCE: SineSource = { omega: [1, 4, 8, 24], coefficient: [1, 4, -8, 16] };

export function source(g: SineSource, x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x, (v) => g.omega.reduce((s, w, i) => s + g.coefficient[i] * Math.sin(w * v), 0));
}

/** The exact solution: Σ (c_k/ω_k²) sin(ω_k x) minus the line through its values at ±1 (it is odd, so that line is x·s(1)). */
export function exactSolution(g: SineSource, x: ArrayLike<number>): Float64Array {
  const s = (v: number) => g.omega.reduce((sum, w, i) => sum + (g.coefficient[i] / (w * w)) * Math.sin(w * v), 0);
  const atOne = s(1);
  return Float64Array.from(x, (v) => s(v) - v * atOne);
}

/** n evenly spaced points of [−1, 1], both ends included. */
export function poissonGrid(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => -1 + (2 * j) / (n - 1));
}

/**
 * One Jacobi sweep of (2u_j − u_{j−1} − u_{j+1})/δx² = g_j at the inner points, the ends held at 0:
 * u_j ← (u_{j−1} + u_{j+1} + δx² g_j)/2, in place (`scratch` keeps the old values).
 */
export function jacobiSweep(u: Float64Array, g: ArrayLike<number>, h: number, scratch: Float64Array = new Float64Array(u.length)): void {
  scratch.set(u);
  for (let j = 1; j < u.length - 1; j++) u[j] = (scratch[j - 1] + scratch[j + 1] + h * h * g[j]) / 2;
  u[0] = 0;
  u[u.length - 1] = 0;
}

export interface RitzProblem {
  x: Float64Array;
  g: Float64Array;
  /** The weight of the boundary penalty (the paper: 10). */
  beta: number;
}

/** The Ritz energy of the network on the grid and its exact gradient (as a network: ∂/∂w, ∂/∂b, ∂/∂a). */
export function ritzGradient(net: TwoLayer, problem: RitzProblem): { energy: number; grad: TwoLayer } {
  const { x, g, beta } = problem;
  const n = x.length;
  const m = net.a.length;
  const dx = (x[n - 1] - x[0]) / (n - 1);
  const grad: TwoLayer = { w: new Float64Array(m), b: new Float64Array(m), a: new Float64Array(m) };
  const t = new Float64Array(m);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    let h = 0;
    let dh = 0;
    for (let k = 0; k < m; k++) {
      t[k] = Math.tanh(net.w[k] * xi + net.b[k]);
      h += net.a[k] * t[k];
      dh += net.a[k] * net.w[k] * (1 - t[k] * t[k]);
    }
    energy += (0.5 * dh * dh - g[i] * h) * dx;
    // ∂E/∂h(x_i) and ∂E/∂h′(x_i): the energy's two inputs at this point; the ends add the penalty.
    const end = i === 0 || i === n - 1;
    if (end) energy += beta * h * h;
    const eh = -g[i] * dx + (end ? 2 * beta * h : 0);
    const edh = dh * dx;
    for (let k = 0; k < m; k++) {
      const d1 = 1 - t[k] * t[k];
      const d2 = -2 * t[k] * d1;
      const a = net.a[k];
      const w = net.w[k];
      grad.a[k] += eh * t[k] + edh * w * d1;
      grad.w[k] += eh * a * d1 * xi + edh * a * (d1 + w * xi * d2);
      grad.b[k] += eh * a * d1 + edh * a * w * d2;
    }
  }
  return { energy, grad };
}

/** Adam (bias-corrected, PyTorch's form) on a two-layer network; `step` returns the energy before the step. */
export function adamOnRitz(net: TwoLayer, problem: RitzProblem, { lr, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 }: { lr: number; beta1?: number; beta2?: number; epsilon?: number }): { step(): number } {
  const keys = ['w', 'b', 'a'] as const;
  const m = net.a.length;
  const first = { w: new Float64Array(m), b: new Float64Array(m), a: new Float64Array(m) };
  const second = { w: new Float64Array(m), b: new Float64Array(m), a: new Float64Array(m) };
  let t = 0;
  return {
    step() {
      const { energy, grad } = ritzGradient(net, problem);
      t++;
      const [c1, c2] = [1 - beta1 ** t, 1 - beta2 ** t];
      for (const key of keys) {
        for (let k = 0; k < m; k++) {
          const gk = grad[key][k];
          first[key][k] = beta1 * first[key][k] + (1 - beta1) * gk;
          second[key][k] = beta2 * second[key][k] + (1 - beta2) * gk * gk;
          net[key][k] -= (lr * first[key][k]) / c1 / (Math.sqrt(second[key][k] / c2) + epsilon);
        }
      }
      return energy;
    },
  };
}
