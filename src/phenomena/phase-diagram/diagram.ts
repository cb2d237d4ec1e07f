/**
 * Phase diagram of two-layer ReLU networks (Luo, Xu, Ma, Zhang, JMLR 2021): f(x) = (1/α) Σ_k a_k σ(w_k · x),
 * a ~ N(0, β₁²), w ~ N(0, β₂²), γ = −log(β₁β₂/α)/log m, γ′ = −log(β₁/β₂)/log m. Each cell is classified by the
 * sign of the slope S_w of log RD(θ_w) against log m: RD → 0 (linear) or → ∞ (condensed) as m grows; the
 * critical line is S_w = 0.
 */
import { metricKey } from '../../core/probes/probe';
import type { RunInfo } from '../../core/run/types';
import type { PhaseDiagramConfig } from './schema';

export type Regime = 'linear' | 'critical' | 'condensed';

/** β₁, β₂ with α = 1: β₁β₂ = m^−γ and β₁/β₂ = m^−γ′. */
export function initScales(gamma: number, gammaPrime: number, width: number): { beta1: number; beta2: number } {
  return { beta1: width ** (-(gamma + gammaPrime) / 2), beta2: width ** (-(gamma - gammaPrime) / 2) };
}

/** (γ, γ′) of an initialization given as α, β₁, β₂ functions of m, read off at two widths (exact for powers of m). */
export function coordinatesOf(scheme: (m: number) => { alpha: number; beta1: number; beta2: number }): { gamma: number; gammaPrime: number } {
  // Far out, where finite-width corrections such as Xavier's m + 1 are below the rounding.
  const [m1, m2] = [1e6, 1e12];
  const [s1, s2] = [scheme(m1), scheme(m2)];
  // Rounded so that schemes with the same exponents land on exactly the same point.
  const rate = (f: (s: { alpha: number; beta1: number; beta2: number }) => number) =>
    Math.round((-(Math.log(f(s2)) - Math.log(f(s1))) / (Math.log(m2) - Math.log(m1))) * 1e4) / 1e4 + 0;
  return { gamma: rate((s) => (s.beta1 * s.beta2) / s.alpha), gammaPrime: rate((s) => s.beta1 / s.beta2) };
}

/** The initializations the paper places on its diagram (input dimension d fixed, width m → ∞). */
export const NAMED_INITIALIZATIONS = [
  { name: 'NTK', ...coordinatesOf((m) => ({ alpha: Math.sqrt(m), beta1: 1, beta2: 1 })) },
  { name: 'mean field', ...coordinatesOf((m) => ({ alpha: m, beta1: 1, beta2: 1 })) },
  { name: 'LeCun', ...coordinatesOf((m) => ({ alpha: 1, beta1: 1 / Math.sqrt(m), beta2: 1 })) },
  { name: 'Xavier', ...coordinatesOf((m) => ({ alpha: 1, beta1: Math.sqrt(2 / (m + 1)), beta2: Math.sqrt(2 / (m + 2)) })) },
];

/**
 * The boundary between the linear and condensed regimes: γ = 1 for γ′ ≤ 0 and γ = 1 + γ′ for γ′ > 0 (linear
 * when γ < 1 or γ′ > γ − 1), as we read the paper; the canonical sweep finds RD slopes ≈ 0 along it.
 */
export function regimeBoundary(gammaPrime: number): number {
  return 1 + Math.max(gammaPrime, 0);
}

/** Least-squares slope of y against x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** By the sign of the slope (the paper's rule), or with the app's near-zero band when `criticalSlope` > 0. */
export function classify(rdSlope: number, criticalSlope: number): Regime {
  if (rdSlope < -criticalSlope) return 'linear';
  if (rdSlope > criticalSlope) return 'condensed';
  return 'critical';
}

export interface Cell {
  gamma: number;
  gammaPrime: number;
  /** RD at the end of training, one per width done so far. */
  rd: number[];
  /** Steps each width took to reach the loss target (maxSteps if it did not). */
  steps: number[];
  converged: boolean[];
  /** Slope of log RD against log m, once two or more widths are done. */
  slope: number | null;
  regime: Regime | null;
}

export interface SweepInfo extends RunInfo {
  cells: number;
  widths: number[];
}

export interface SweepResult {
  widths: number[];
  /** Widths finished, in order (a prefix of `widths`). */
  done: number[];
  cells: Cell[];
}

/** Every width trains up to maxSteps. */
export const sweepLength = (config: PhaseDiagramConfig): number => config.sweep.widths.length * config.train.maxSteps;

export function emptySweep(config: PhaseDiagramConfig): SweepResult {
  const cells = config.sweep.gammaPrime.flatMap((gammaPrime) =>
    config.sweep.gamma.map((gamma) => ({ gamma, gammaPrime, rd: [], steps: [], converged: [], slope: null, regime: null })),
  );
  return { widths: config.sweep.widths, done: [], cells };
}

/**
 * What a cell's regime is worth: none yet (fewer than two widths), provisional (from the widths so far: a wider
 * network can still turn the slope), or final (every width of the sweep trained).
 */
export function standing(cell: Cell, result: SweepResult): 'unclassified' | 'provisional' | 'final' {
  if (cell.regime === null) return 'unclassified';
  return result.done.length === result.widths.length ? 'final' : 'provisional';
}

/** A sweep run's measurements: the diagram so far, and the current width's progress. */
export const SWEEP = metricKey<SweepResult>('sweep');
export const SWEEP_PROGRESS = metricKey<SweepProgress | null>('progress');

export interface SweepProgress {
  width: number;
  step: number;
  /** Cells at this width that reached the loss target. */
  finished: number;
  total: number;
}

/**
 * One row per cell: coordinates, regime and whether it is final (from every width) or provisional (a sweep
 * exported midway), slope, then RD and steps at each finished width.
 */
export function sweepToCsv(result: SweepResult): string {
  const header = ['gamma', 'gamma_prime', 'regime', 'standing', 'rd_slope', ...result.done.map((m) => `rd_m${m}`), ...result.done.map((m) => `steps_m${m}`)];
  const rows = result.cells.map((c) => [c.gamma, c.gammaPrime, c.regime ?? '', standing(c, result), c.slope ?? '', ...c.rd, ...c.steps].join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}
