/**
 * The MLP's shapes and its seeded initialization: plain arithmetic, no tfjs, so the page's thread (weights
 * files, saved runs) can use them without loading the tensor library.
 */
import { normalSampler } from '../random';
import type { ActivationName } from './activations';
import type { NamedTensor } from './model';

export interface MlpSpec {
  inputDim: number;
  /** Hidden layer widths, input to output. */
  widths: readonly number[];
  outputDim: number;
  activation: ActivationName;
  init: { gamma: number; scale: number; relativeTo?: 'fanIn' | 'width' };
  /** Dropout rate on hidden outputs while training. */
  dropout?: number;
  /**
   * MscaleDNN (Liu, Cai, Xu 2020): the first hidden layer is split into equal groups and group i sees the input
   * scaled by scales[i], so high frequencies of the target look low to some neurons. Absent: a plain network.
   */
  scales?: readonly number[];
}

/** Per first-layer neuron, the input scale of its group (groups as equal as the width allows). */
export function neuronScales(width: number, scales: readonly number[]): Float32Array {
  return Float32Array.from({ length: width }, (_, j) => scales[Math.floor((j * scales.length) / width)]);
}

/** One dense layer's parameters, row-major weights of shape [fanIn, fanOut]. */
export interface LayerParams {
  fanIn: number;
  fanOut: number;
  weights: Float32Array;
  bias: Float32Array;
}

export function layerSizes(spec: MlpSpec): number[] {
  return [spec.inputDim, ...spec.widths, spec.outputDim];
}

/** std = scale · d^−γ, d = the layer's fan-in, or the first hidden width when init.relativeTo is 'width'. */
export function initStd(fanIn: number, init: MlpSpec['init'], width?: number): number {
  const d = init.relativeTo === 'width' ? (width ?? fanIn) : fanIn;
  return init.scale * d ** -init.gamma;
}

export function initParams(spec: MlpSpec, seed: number): LayerParams[] {
  const sample = normalSampler(seed);
  const sizes = layerSizes(spec);
  return sizes.slice(1).map((fanOut, i) => {
    const fanIn = sizes[i];
    const std = initStd(fanIn, spec.init, spec.widths[0]);
    const weights = Float32Array.from({ length: fanIn * fanOut }, () => sample(std));
    const bias = Float32Array.from({ length: fanOut }, () => sample(std));
    return { fanIn, fanOut, weights, bias };
  });
}

export function parameterCount(spec: MlpSpec): number {
  const sizes = layerSizes(spec);
  return sizes.slice(1).reduce((sum, fanOut, i) => sum + (sizes[i] + 1) * fanOut, 0);
}

/** A layer's tensors by name: `layer{i}.weights` ([fanIn, fanOut]) and `layer{i}.bias` ([fanOut]). */
export const layerTensorName = (layer: number, part: 'weights' | 'bias'): string => `layer${layer}.${part}`;

/** The layers as named tensors (views of the same arrays, no copy). */
export function mlpToNamed(params: readonly LayerParams[]): NamedTensor[] {
  return params.flatMap((p, i) => [
    { name: layerTensorName(i, 'weights'), shape: [p.fanIn, p.fanOut], values: p.weights },
    { name: layerTensorName(i, 'bias'), shape: [p.fanOut], values: p.bias },
  ]);
}

/** The inverse of mlpToNamed; null when the tensors are not the layers of an MLP. */
export function mlpFromNamed(tensors: readonly NamedTensor[]): LayerParams[] | null {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const layers: LayerParams[] = [];
  for (let i = 0; byName.has(layerTensorName(i, 'weights')); i++) {
    const weights = byName.get(layerTensorName(i, 'weights')) as NamedTensor;
    const bias = byName.get(layerTensorName(i, 'bias'));
    if (!bias || weights.shape.length !== 2 || bias.shape[0] !== weights.shape[1]) return null;
    layers.push({ fanIn: weights.shape[0], fanOut: weights.shape[1], weights: weights.values, bias: bias.values });
  }
  return layers.length * 2 === tensors.length ? layers : null;
}
