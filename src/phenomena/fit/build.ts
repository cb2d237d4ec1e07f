/**
 * A network fitting a target on a grid: data (1-D, 2-D or an image), an MLP, the mean squared error (or the
 * Poisson model loss, or a switch between the two), and the frequency principle's probes. Condensation adds its
 * own probes on top.
 */
import * as tf from '@tensorflow/tfjs';
import { amplitudeSpectrum, bandEdges, centeredAmplitude2, dft, dft2, findPeaks, radialFrequency, type ComplexSpectrum } from '../../core/analysis/spectrum';
import type { LossName } from '../../core/config/schema';
import { closedGrid, CURVE_POINTS, dataGrid, gridInputs, sampleTarget, sampleTarget2D, targetDataset, targetExpression } from '../../core/data/function1d';
import { imageOnGrid, type ImageRef } from '../../core/data/image';
import { Mlp } from '../../core/models/mlp';
import { initParams, mlpFromNamed, mlpToNamed, type MlpSpec } from '../../core/models/mlpSpec';
import { meanSquaredError, switchAt, type Objective } from '../../core/objectives/objective';
import { poissonObjective } from '../../core/objectives/poisson';
import { curveProbe, modelLossProbe, outputProbe } from '../../core/probes/fit';
import { bandErrorProbe, outputAmplitudeProbe, peakErrorProbe } from '../../core/probes/frequency';
import type { Probe } from '../../core/probes/probe';
import { Run, type ReadContext, type RunOptions, type RunParts } from '../../core/run/loop';
import type { FitInfo } from './info';
import { fitNetwork } from './network';
import type { FitConfig } from './schema';

/** An image target on the grid of `axis` (its intensities must have been loaded, see withImagePixels). */
function imageTarget(image: ImageRef, axis: Float64Array): { inputs: Float64Array; values: Float64Array } {
  const { gray, width, height } = image;
  if (!gray || !width || !height) throw new Error(`the image "${image.src}" has not been loaded`);
  return { inputs: gridInputs(axis), values: imageOnGrid({ gray, width, height }, axis.length) };
}

/** The loss that trains step `step` (0-based): config.train.loss, or the other one from lossSwitchAt on. */
export function lossAt(config: FitConfig, step: number): LossName {
  const { loss, lossSwitchAt } = config.train;
  return lossSwitchAt != null && step >= lossSwitchAt ? (loss === 'data' ? 'poisson' : 'data') : loss;
}

interface Sampled {
  inputs: Float64Array;
  values: Float64Array;
  curveX: Float64Array;
  spectrum: ComplexSpectrum;
  info: Omit<FitInfo, 'parameterCount'>;
  frequencyProbes: Probe[];
}

/** The target on the training grid, its spectrum, and where the frequency probes measure. */
function sample(config: FitConfig): Sampled {
  const { data, analysis } = config;
  if (data.inputs === 2) {
    const n = data.points;
    const axis = dataGrid(data);
    const { inputs, values } = data.image ? imageTarget(data.image, axis) : sampleTarget2D(targetExpression(data), axis);
    const spectrum = dft2(values, n, n);
    const edges = bandEdges(n, n, analysis.bands);
    return {
      inputs,
      values,
      curveX: new Float64Array(0),
      spectrum,
      info: {
        inputs: 2,
        x: Array.from(axis),
        target: Array.from(values),
        curveX: [],
        curveTarget: [],
        frequencies: Array.from({ length: n }, (_, i) => i - Math.floor(n / 2)),
        targetAmplitude: Array.from(centeredAmplitude2(spectrum, n, n)),
        peaks: Array.from({ length: analysis.bands }, (_, b) => b),
        bandEdges: edges,
      },
      frequencyProbes: [bandErrorProbe(spectrum, n, radialFrequency(n, n), edges), outputAmplitudeProbe(n)],
    };
  }
  const dataset = targetDataset(targetExpression(data), data.domain, data.points, data.grid);
  const curveX = closedGrid(data.domain, CURVE_POINTS);
  const spectrum = dft(dataset.y);
  const amplitude = amplitudeSpectrum(spectrum);
  const peaks = findPeaks(amplitude, analysis.peakThreshold);
  return {
    inputs: dataset.x,
    values: dataset.y,
    curveX,
    spectrum,
    info: {
      inputs: 1,
      x: Array.from(dataset.x),
      target: Array.from(dataset.y),
      curveX: Array.from(curveX),
      curveTarget: Array.from(sampleTarget(targetExpression(data), curveX)),
      frequencies: Array.from(amplitude, (_, k) => k),
      targetAmplitude: Array.from(amplitude),
      peaks,
    },
    frequencyProbes: [peakErrorProbe(spectrum, peaks), outputAmplitudeProbe(null)],
  };
}

/** The fit's run; `extraProbes` are measured beside the frequency principle's (condensation's, say). */
export function buildFit(config: FitConfig, options: RunOptions = {}, extraProbes: (network: MlpSpec) => Probe[] = () => []): Run<FitInfo> {
  const network = fitNetwork(config);
  const initial = options.initial ?? mlpToNamed(initParams(network, config.seed));
  const { inputs, values, curveX, info, frequencyProbes } = sample(config);
  const model = new Mlp(network, mlpFromNamed(options.resumeFrom?.params ?? initial) ?? [], config.seed);
  const xs = tf.tensor2d(Float32Array.from(inputs), [values.length, config.data.inputs]);
  const ys = tf.tensor2d(Float32Array.from(values), [values.length, 1]);
  const curveXs = tf.tensor2d(Float32Array.from(curveX), [curveX.length, 1]);
  const data = meanSquaredError(xs, ys, (x, step) => model.forward(x, { training: true, step }).output);
  const { loss, lossSwitchAt } = config.train;
  const poisson = loss === 'poisson' || lossSwitchAt != null ? poissonObjective(model, targetExpression(config.data), inputs, values) : null;
  let objective: Objective = data;
  if (poisson) objective = lossSwitchAt == null ? poisson : loss === 'data' ? switchAt(data, poisson, lossSwitchAt) : switchAt(poisson, data, lossSwitchAt);
  const parts: RunParts<FitInfo> = {
    info: { ...info, parameterCount: model.parameterCount },
    model,
    initial,
    objective,
    readables: {
      output: ({ predict }) => predict(xs),
      loss: ({ read }) => tf.losses.meanSquaredError(ys, read('output')),
      ...(curveX.length ? { curve: ({ predict }: ReadContext) => predict(curveXs) } : {}),
      ...(poisson ? { modelLoss: () => poisson.loss(0) } : {}),
    },
    probes: [outputProbe, ...(curveX.length ? [curveProbe] : []), ...(poisson ? [modelLossProbe((step) => lossAt(config, step))] : []), ...frequencyProbes, ...extraProbes(network)],
    guards: poisson ? ['loss', 'modelLoss'] : ['loss'],
    train: config.train,
    dispose: () => tf.dispose([xs, ys, curveXs]),
  };
  return new Run(parts, options);
}
