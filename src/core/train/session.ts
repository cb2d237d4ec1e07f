/**
 * One training run: builds data and model from a validated config, trains K steps at a time without
 * reading anything back, then takes a snapshot (one read-back) and computes its metrics.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig, LossName } from '../config/schema';
import { closedGrid, CURVE_POINTS, gridInputs, periodicGrid, poissonSource, sampleTarget, sampleTarget2D, targetDataset, targetExpression } from '../data/function1d';
import { imageOnGrid, type ImageRef } from '../data/image';
import { parameterCount, type MlpSpec } from '../models/mlp';
import { Trainer, type TrainerOptions } from './trainer';
import { amplitudeSpectrum, bandEdges, centeredAmplitude2, dft, dft2, findPeaks, radialFrequency, relativeErrorAt, relativeErrorByBand, type ComplexSpectrum } from '../analysis/spectrum';
import { amplitudes, azimuthAngles, condensedDirections, neuronVectors, orientationAngles, polarAngles, relativeDistance } from '../analysis/condensation';

/** What does not change during a run; sent once. */
export interface ExperimentInfo {
  /** Input dimension: 1, 2 for (x, y) on a square grid of `x` × `x` (row-major with y outer), or 784 for MNIST digits. */
  inputs: number;
  /** The training points' x (1-D), or the grid's axis (2-D). */
  x: number[];
  target: number[];
  /** 1-D only (empty for 2-D): the dense grid on which the output curve is drawn. */
  curveX: number[];
  /** The target on curveX, for drawing. */
  curveTarget: number[];
  /** 1-D: frequency indices k = 0 … ⌊n/2⌋ of the one-sided spectrum. 2-D: the signed indices along each axis of the centred spectrum. */
  frequencies: number[];
  /** 1-D: the one-sided amplitude spectrum. 2-D: the centred n × n amplitude (centeredAmplitude2). */
  targetAmplitude: number[];
  /** Where Δ_F is measured, ascending. 1-D: the target's peak frequencies k. 2-D and MNIST: band numbers 0, 1, … */
  peaks: number[];
  /** MNIST: the filtering method's Gaussian widths δ. */
  deltas?: number[];
  /** 2-D input: the bands' edges in |k| (the last is Infinity). MNIST: the projection bands' edges in k. */
  bandEdges?: number[];
  parameterCount: number;
}

/** A plain, serializable picture of the run at one step. */
export interface Snapshot {
  step: number;
  /** Network output on the training points. */
  output: number[];
  /** Network output on ExperimentInfo.curveX. */
  curve: number[];
  /** Mean squared error to the target on the training points (the data loss), whatever loss trains the run. */
  loss: number;
  metrics: {
    frequency: { k: number[]; relError: number[] };
    /** Runs that use the Poisson model loss (at any step): its value, and which loss trains from this step on. */
    modelLoss?: { value: number; training: LossName };
    outputAmplitude: number[];
    /** MNIST: the filtering method's errors of the low- and high-frequency parts, one per δ. */
    filtering?: { low: number[]; high: number[] };
    /** Condensation runs: the first hidden layer's input weights. */
    condensation?: CondensationMetrics;
  };
  /** Condensation runs: the first hidden layer's input weights (row-major [inputs, m]), biases and, for two-layer nets, output weights a_j. */
  neurons?: { w: number[]; b: number[]; a?: number[] };
}

export interface CondensationMetrics {
  /** Per neuron, degrees: 1-D input, the orientation atan2(b, w) of (w, b); 2-D input, the azimuth atan2(w₂, w₁). */
  angle: number[];
  /** 2-D input: per neuron, the angle in degrees between θ_j = (w₁, w₂, b) and the +b axis (0 … 180). */
  polar?: number[];
  /** ‖θ_j‖·|a_j| (two-layer) or ‖θ_j‖, per neuron. */
  amplitude: number[];
  /** Directions holding analysis.clusterMass of the amplitude (within analysis.clusterToleranceDeg). */
  directions: number;
  /** True when more than the largest count we look for (16) would be needed. */
  directionsCapped: boolean;
  /** Angles of those directions (as `angle`), degrees, most amplitude first. */
  directionAngles: number[];
  /** 2-D input: their polar angles (as `polar`). */
  directionPolar?: number[];
  /** RD = ‖θ(t) − θ(0)‖ / ‖θ(0)‖ over the first layer's input weights. */
  rd: number;
}

/** An image target on the grid of `axis` (its intensities must have been loaded, see withImagePixels). */
function imageTarget(image: ImageRef, axis: Float64Array): { inputs: Float64Array; values: Float64Array } {
  const { gray, width, height } = image;
  if (!gray || !width || !height) throw new Error(`the image "${image.src}" has not been loaded`);
  return { inputs: gridInputs(axis), values: imageOnGrid({ gray, width, height }, axis.length) };
}

/** What the Poisson model loss needs on the 1-D points: f = −u″ of the exact solution inside, u at the two ends. */
function poissonTensors(expression: string, x: Float64Array, u: Float64Array): NonNullable<Session['poisson']> {
  const inner = x.slice(1, -1);
  const source = poissonSource(expression, inner);
  const column = (values: Float64Array) => tf.tensor2d(Float32Array.from(values), [values.length, 1]);
  return { inner: column(inner), source: column(source), ends: column(Float64Array.of(x[0], x[x.length - 1])), endValues: column(Float64Array.of(u[0], u[u.length - 1])) };
}

export type AdvanceResult =
  | { status: 'running' | 'done'; snapshot: Snapshot }
  | { status: 'diverged'; step: number; message: string };

export function mlpSpec(config: ExperimentConfig): MlpSpec {
  const { widths, activation, init, dropout, scales } = config.model;
  return { inputDim: config.data.inputs, widths, outputDim: 1, activation, init, dropout, scales: scales ?? undefined };
}

export type SessionOptions = TrainerOptions;

export class Session extends Trainer {
  readonly info: ExperimentInfo;
  private readonly xs: tf.Tensor2D;
  private readonly ys: tf.Tensor2D;
  private readonly curveXs: tf.Tensor2D;
  private readonly targetSpectrum: ComplexSpectrum;
  /** 2-D input: |k| of each coefficient of the n × n spectrum. */
  private radius: Float64Array | null = null;
  /** Poisson model loss: the inner points with f = −target″ there, and the two end points with the target's values. */
  private readonly poisson: { inner: tf.Tensor2D; source: tf.Tensor2D; ends: tf.Tensor2D; endValues: tf.Tensor2D } | null = null;
  constructor(readonly config: ExperimentConfig, options: SessionOptions = {}) {
    super(mlpSpec(config), config.seed, config.train, options);
    const { data } = config;
    let inputs: Float64Array;
    let values: Float64Array;
    let curveX: Float64Array = new Float64Array(0);
    if (data.inputs === 2) {
      const axis = data.grid === 'periodic' ? periodicGrid(data.domain, data.points) : closedGrid(data.domain, data.points);
      ({ inputs, values } = data.image ? imageTarget(data.image, axis) : sampleTarget2D(targetExpression(data), axis));
      this.targetSpectrum = dft2(values, data.points, data.points);
      this.info = this.describe(axis, values, new Float64Array(0));
    } else {
      const dataset = targetDataset(targetExpression(data), data.domain, data.points, data.grid);
      [inputs, values] = [dataset.x, dataset.y];
      curveX = closedGrid(data.domain, CURVE_POINTS);
      this.targetSpectrum = dft(values);
      this.info = this.describe(dataset.x, values, curveX);
    }
    this.xs = tf.tensor2d(Float32Array.from(inputs), [values.length, data.inputs]);
    this.ys = tf.tensor2d(Float32Array.from(values), [values.length, 1]);
    this.curveXs = tf.tensor2d(Float32Array.from(curveX), [curveX.length, 1]);
    if (config.train.loss === 'poisson' || config.train.lossSwitchAt != null) this.poisson = poissonTensors(targetExpression(data), inputs, values);
  }

  /** Needs this.targetSpectrum. */
  private describe(x: Float64Array, target: Float64Array, curveX: Float64Array): ExperimentInfo {
    const { data, analysis } = this.config;
    const spec = this.spec;
    const amplitude = data.inputs === 1 ? amplitudeSpectrum(this.targetSpectrum) : new Float64Array(0);
    if (data.inputs === 2) {
      this.radius = radialFrequency(data.points, data.points);
      const edges = bandEdges(data.points, data.points, analysis.bands);
      return {
        inputs: 2,
        x: Array.from(x),
        target: Array.from(target),
        curveX: [],
        curveTarget: [],
        frequencies: Array.from({ length: data.points }, (_, i) => i - Math.floor(data.points / 2)),
        targetAmplitude: Array.from(centeredAmplitude2(this.targetSpectrum, data.points, data.points)),
        peaks: Array.from({ length: analysis.bands }, (_, b) => b),
        bandEdges: edges,
        parameterCount: parameterCount(spec),
      };
    }
    return {
      inputs: 1,
      x: Array.from(x),
      target: Array.from(target),
      curveX: Array.from(curveX),
      curveTarget: curveX.length ? Array.from(sampleTarget(targetExpression(data), curveX)) : [],
      frequencies: Array.from(amplitude, (_, k) => k),
      targetAmplitude: Array.from(amplitude),
      peaks: findPeaks(amplitude, analysis.peakThreshold),
      parameterCount: parameterCount(spec),
    };
  }

  private get tracksNeurons(): boolean {
    return this.config.phenomenon === 'condensation';
  }

  /** The loss that trains step `step` (0-based): config.train.loss, or the other one from lossSwitchAt on. */
  lossAt(step: number): LossName {
    const { loss, lossSwitchAt } = this.config.train;
    return lossSwitchAt != null && step >= lossSwitchAt ? (loss === 'data' ? 'poisson' : 'data') : loss;
  }

  private modelLoss(): tf.Scalar {
    const { inner, source, ends, endValues } = this.poisson as NonNullable<Session['poisson']>;
    const residual = tf.losses.meanSquaredError(source, tf.neg(this.model.forwardWithDerivatives(inner).d2u));
    return tf.add(residual, tf.losses.meanSquaredError(endValues, this.model.forward(ends)));
  }

  protected get meanSquaredErrorData(): { xs: tf.Tensor2D; ys: tf.Tensor2D } | null {
    return this.poisson ? null : { xs: this.xs, ys: this.ys };
  }

  protected loss(step: number): tf.Scalar {
    if (this.lossAt(step) === 'poisson') return this.modelLoss();
    // Each step's dropout mask comes from (seed, step), so a run replays exactly.
    const dropoutSeed = this.config.model.dropout > 0 ? this.config.seed * 1_000_003 + step : undefined;
    return tf.losses.meanSquaredError(this.ys, this.model.forward(this.xs, dropoutSeed)) as tf.Scalar;
  }

  async snapshot(): Promise<Snapshot> {
    const n = this.info.target.length;
    const curvePoints = this.info.curveX.length;
    const model = this.tracksNeurons ? this.trainedModel : this.model;
    const [w0, b0] = [model.weights[0], model.biases[0]];
    const twoLayer = model.weights.length === 2;
    // One read-back: loss, output on the points and the curve, and the neurons a view needs, concatenated.
    const packed = tf.tidy(() => {
      const output = this.predict(this.xs);
      const loss = tf.losses.meanSquaredError(this.ys, output);
      const parts = [loss.reshape([1]), (this.poisson ? this.modelLoss() : tf.zeros([1])).reshape([1]), output.reshape([-1])];
      if (curvePoints) parts.push(this.predict(this.curveXs).reshape([-1]));
      if (this.tracksNeurons) parts.push(w0.reshape([-1]), b0, ...(twoLayer ? [model.weights[1].reshape([-1])] : []));
      return tf.concat(parts);
    });
    const values = await packed.data();
    packed.dispose();
    const output = Array.from(values.subarray(2, 2 + n));
    const n2 = this.config.data.points;
    const outputSpectrum = this.info.inputs === 1 ? dft(output) : dft2(output, n2, n2);
    const relError =
      this.radius && this.info.bandEdges
        ? relativeErrorByBand(this.targetSpectrum, outputSpectrum, this.radius, this.info.bandEdges)
        : relativeErrorAt(this.targetSpectrum, outputSpectrum, this.info.peaks);
    const snapshot: Snapshot = {
      step: this.currentStep,
      loss: values[0],
      output,
      curve: Array.from(values.subarray(2 + n, 2 + n + curvePoints)),
      metrics: {
        frequency: { k: this.info.peaks, relError },
        ...(this.poisson ? { modelLoss: { value: values[1], training: this.lossAt(this.currentStep) } } : {}),
        outputAmplitude: Array.from(this.info.inputs === 1 ? amplitudeSpectrum(outputSpectrum) : centeredAmplitude2(outputSpectrum, n2, n2)),
      },
    };
    if (this.tracksNeurons) {
      let offset = 2 + n + curvePoints;
      const take = (length: number) => Array.from(values.subarray(offset, (offset += length)));
      const m = b0.shape[0];
      const w = take(this.info.inputs * m);
      const b = take(m);
      const a = twoLayer ? take(m) : undefined;
      snapshot.neurons = { w, b, a };
      snapshot.metrics.condensation = this.condensationMetrics(w, b, a);
    }
    return snapshot;
  }

  private condensationMetrics(w: number[], b: number[], a: number[] | undefined): CondensationMetrics {
    const inputDim = this.info.inputs;
    const thetas = neuronVectors({ inputDim, weights: w, bias: b });
    const amplitude = amplitudes(thetas, a);
    const { clusterToleranceDeg, clusterMass } = this.config.analysis;
    const directions = condensedDirections(thetas, amplitude, { toleranceDeg: clusterToleranceDeg, massFraction: clusterMass });
    const first = this.initial[0];
    const view = inputDim === 1 ? { angle: orientationAngles } : { angle: azimuthAngles, polar: polarAngles };
    return {
      angle: view.angle(thetas),
      polar: view.polar?.(thetas),
      amplitude,
      directions: directions.count,
      directionsCapped: directions.capped,
      directionAngles: view.angle(directions.centers),
      directionPolar: view.polar?.(directions.centers),
      rd: relativeDistance([...w, ...b], [...first.weights, ...first.bias]),
    };
  }

  protected disposeData(): void {
    tf.dispose([this.xs, this.ys, this.curveXs, ...(this.poisson ? Object.values(this.poisson) : [])]);
  }
}
