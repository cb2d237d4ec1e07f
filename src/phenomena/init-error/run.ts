/**
 * The same network trained twice by full-batch gradient descent on the same points: from its random start θ, and
 * antisymmetrically, h = (f(·; θ) − f(·; θ′))/√2 with θ′ = θ, which starts from output 0 and has the same neural
 * tangent kernel at the start (½K + ½K). In float64; snapshots carry both outputs on the test points and their errors.
 */
import { compileExpression } from '../../core/expression';
import { relativeL2 } from '../../core/analysis/relativeL2';
import { antisymmetricPair, gradientDescent, initTwoLayer, loss, predict, type Data, type TwoLayer } from '../../core/models/twoLayer64';
import { metricKey } from '../../core/probes/probe';
import { GradientDescentRuns } from '../../core/run/gradientDescentRuns';
import type { RunInfo, Snapshot } from '../../core/run/types';
import type { InitErrorConfig } from './schema';

export interface InitErrorInfo extends RunInfo {
  train: { x: number[]; y: number[] };
  test: { x: number[]; y: number[] };
  /** The randomly started network's output at step 0 on the test points (the antisymmetric one's is 0). */
  initialOutput: number[];
}

export interface RunMeasure {
  /** ½ mean squared error on the training points. */
  trainLoss: number;
  /** ‖h − y‖ / ‖y‖ on the test points. */
  testError: number;
  output: number[];
}

export interface InitErrorMeasures {
  random: RunMeasure;
  antisymmetric: RunMeasure;
}

export const INIT_ERROR = metricKey<InitErrorMeasures>('initError');

const SCALE = Math.SQRT1_2;

function sample(target: string, xs: Float64Array): Data {
  const f = compileExpression(target);
  const y = xs.map((v) => f({ x: v }));
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`data.target: not finite at x = ${xs[bad]}`);
  return { x: xs, y };
}

/** The training and test points of a config. */
export function initErrorData(config: InitErrorConfig): { train: Data; test: Data } {
  const { target, domain, trainPoints, testPoints } = config.data;
  const [lo, hi] = domain;
  const train = Float64Array.from({ length: trainPoints }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / trainPoints);
  const test = Float64Array.from({ length: testPoints }, (_, i) => lo + (i * (hi - lo)) / (testPoints - 1));
  return { train: sample(target, train), test: sample(target, test) };
}

export class InitErrorRun extends GradientDescentRuns<InitErrorInfo> {
  readonly info: InitErrorInfo;
  private readonly data: { train: Data; test: Data };
  /** The antisymmetric run trains f(·; θ) − f(·; θ′) on the targets √2·y at lr/2: gradient descent on (θ, θ′) for h exactly. */
  private readonly scaledTrain: Data;
  private random!: TwoLayer;
  private pair!: TwoLayer;

  constructor(private readonly config: InitErrorConfig) {
    super(config.train);
    this.data = initErrorData(config);
    this.scaledTrain = { x: this.data.train.x, y: this.data.train.y.map((v) => v / SCALE) };
    this.reset();
    this.info = {
      parameterCount: 3 * config.model.width,
      train: { x: Array.from(this.data.train.x), y: Array.from(this.data.train.y) },
      test: { x: Array.from(this.data.test.x), y: Array.from(this.data.test.y) },
      initialOutput: Array.from(predict(this.random, this.data.test.x)),
    };
  }

  protected divergence(snapshot: Snapshot): string | null {
    const bad = Object.values(INIT_ERROR.of(snapshot)!).some((m) => !Number.isFinite(m.trainLoss));
    return bad ? `the training loss stopped being finite by step ${this.current}; lower the learning rate, then reset` : null;
  }

  /** The snapshot's loss is the randomly started network's. */
  async snapshot(): Promise<Snapshot> {
    const { train, test } = this.data;
    const measure = (out: Float64Array, trainLoss: number): RunMeasure => ({ trainLoss, testError: relativeL2(out, test.y), output: Array.from(out) });
    const measures: InitErrorMeasures = {
      random: measure(predict(this.random, test.x), loss(this.random, train)),
      // h = f_pair/√2, and its loss on y is ½ the pair's on √2·y.
      antisymmetric: measure(predict(this.pair, test.x).map((v) => v * SCALE), loss(this.pair, this.scaledTrain) * SCALE * SCALE),
    };
    return { step: this.current, loss: measures.random.trainLoss, metrics: { [INIT_ERROR.name]: measures } };
  }

  reset(): void {
    const { width, inputStd, outputStd } = this.config.model;
    this.random = initTwoLayer(width, inputStd, this.config.seed, outputStd);
    this.pair = antisymmetricPair(this.random);
    this.trainers = [gradientDescent(this.random, this.data.train, this.config.train.lr), gradientDescent(this.pair, this.scaledTrain, this.config.train.lr * SCALE * SCALE)];
    this.current = 0;
  }
}
