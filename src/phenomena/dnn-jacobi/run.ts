/**
 * The network (Adam on the Ritz energy) and Jacobi iteration (on the central-difference system) solving the same
 * −u″ = g from zero, side by side, and the hybrid: Jacobi from the network's output after `switchAt` steps. Each
 * snapshot has the solutions, their Δ_F at the peaks of the exact solution's spectrum and their relative L2 error.
 */
import { amplitudeSpectrum, dft, findPeaks, relativeErrorAt, type ComplexSpectrum } from '../../core/analysis/spectrum';
import { metricKey } from '../../core/probes/probe';
import { GradientDescentRuns } from '../../core/run/gradientDescentRuns';
import type { RunInfo, Snapshot } from '../../core/run/types';
import { initTwoLayer, predict, type TwoLayer } from '../../core/models/twoLayer64';
import { relativeL2 } from '../../core/analysis/relativeL2';
import type { DnnJacobiConfig } from './schema';
import { adamOnRitz, exactSolution, jacobiSweep, PAPER_SOURCE, poissonGrid, ritzGradient, source, type RitzProblem } from './solvers';

export interface DnnJacobiInfo extends RunInfo {
  x: number[];
  exact: number[];
  /** DFT frequencies (cycles over [−1, 1]) of the exact solution's spectrum peaks. */
  peaks: number[];
}

export interface SolverMeasure {
  output: number[];
  /** Δ_F at each peak. */
  relError: number[];
  /** ‖u − u*‖ / ‖u*‖ on the grid, u* the exact solution. */
  error: number;
}

export interface SolverMeasures {
  network: SolverMeasure;
  jacobi: SolverMeasure;
  /** Jacobi from the network's output at step `switchAt`; null before it. */
  hybrid: SolverMeasure | null;
  /** Jacobi sweeps made so far. */
  sweeps: number;
}

export const SOLVERS = metricKey<SolverMeasures>('solvers');

export class DnnJacobiRun extends GradientDescentRuns<DnnJacobiInfo> {
  readonly info: DnnJacobiInfo;
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private readonly problem: RitzProblem;
  private readonly spectrum: ComplexSpectrum;
  private net!: TwoLayer;
  private jacobi!: Float64Array;
  private hybrid: Float64Array | null = null;
  private readonly exact: Float64Array;
  private readonly scratch: Float64Array;

  constructor(private readonly config: DnnJacobiConfig) {
    super(config.train);
    this.x = poissonGrid(config.problem.points);
    this.g = source(PAPER_SOURCE, this.x);
    const exact = exactSolution(PAPER_SOURCE, this.x);
    this.exact = exact;
    this.spectrum = dft(exact);
    this.scratch = new Float64Array(this.x.length);
    this.problem = { x: this.x, g: this.g, beta: config.problem.beta };
    this.info = { parameterCount: 3 * config.model.width, x: Array.from(this.x), exact: Array.from(exact), peaks: findPeaks(amplitudeSpectrum(this.spectrum), config.analysis.peakThreshold) };
    this.reset();
  }

  /** Each Adam step comes with `jacobiPerStep` sweeps of Jacobi and of the hybrid, which starts once the step count reaches M. */
  protected override afterStep(): void {
    const h = 2 / (this.x.length - 1);
    for (let s = 0; s < this.config.train.jacobiPerStep; s++) {
      jacobiSweep(this.jacobi, this.g, h, this.scratch);
      if (this.hybrid) jacobiSweep(this.hybrid, this.g, h, this.scratch);
    }
    this.switchWhenDue();
  }

  protected divergence(snapshot: Snapshot): string | null {
    return Number.isFinite(snapshot.loss) ? null : `the Ritz energy became ${snapshot.loss} by step ${this.current}; lower the learning rate, then reset`;
  }

  /** At step M the hybrid starts from the network's output, its ends set to the boundary values. */
  private switchWhenDue(): void {
    if (this.hybrid || this.current < this.config.train.switchAt) return;
    this.hybrid = predict(this.net, this.x);
    this.hybrid[0] = 0;
    this.hybrid[this.hybrid.length - 1] = 0;
  }

  /** The snapshot's loss is the network's Ritz energy. */
  async snapshot(): Promise<Snapshot> {
    const measure = (u: Float64Array): SolverMeasure => ({ output: Array.from(u), relError: relativeErrorAt(this.spectrum, dft(u), this.info.peaks), error: relativeL2(u, this.exact) });
    const measures: SolverMeasures = {
      network: measure(predict(this.net, this.x)),
      jacobi: measure(this.jacobi),
      hybrid: this.hybrid && measure(this.hybrid),
      sweeps: this.current * this.config.train.jacobiPerStep,
    };
    return { step: this.current, loss: ritzGradient(this.net, this.problem).energy, metrics: { [SOLVERS.name]: measures } };
  }

  reset(): void {
    const { width, inputStd, outputStd } = this.config.model;
    this.net = initTwoLayer(width, inputStd, this.config.seed, outputStd);
    this.trainers = [adamOnRitz(this.net, this.problem, { lr: this.config.train.lr })];
    this.jacobi = new Float64Array(this.x.length);
    this.hybrid = null;
    this.current = 0;
    this.switchWhenDue();
  }
}
