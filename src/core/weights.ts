/**
 * Network weights as JSON, for export and for starting a run from weights another tool made. An MLP's are
 * `{ layers }`: a layer computes x·W + b, so `weights` is nested [fanIn][fanOut] (a PyTorch nn.Linear weight,
 * transposed). Any other model's are `{ tensors: [{ name, shape, values }] }`, values row-major.
 */
import { z } from 'zod';
import { ConfigError } from './config/validate';
import { FLOAT32_MAX } from './data/function1d';
import type { NamedTensor } from './models/model';
import { layerSizes, mlpFromNamed, mlpToNamed, type LayerParams, type MlpSpec } from './models/mlpSpec';
import type { RunParams } from './run/types';

// Strict: a field the reader does not know is named, not silently dropped.
const layerSchema = z.object({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) }).strict();
const weightsFileSchema = z.object({ layers: z.array(layerSchema).min(1) }).strict();
/** What the app exports: the initial and the current weights. */
const exportedSchema = z.object({ initial: weightsFileSchema, current: weightsFileSchema }).strict();

export interface MlpWeightsFile {
  layers: { weights: number[][]; bias: number[] }[];
}

export interface TensorsFile {
  tensors: { name: string; shape: number[]; values: number[] }[];
}

export type WeightsFile = MlpWeightsFile | TensorsFile;

/** The same as weights files (a run file's `weights`). */
export interface RunWeightsFiles {
  initial: WeightsFile;
  current: WeightsFile;
}

export const runParamsToJson = ({ initial, current }: RunParams): RunWeightsFiles => ({ initial: tensorsToJson(initial), current: tensorsToJson(current) });

/** Unchecked, as tensorsFromJson: for files the app wrote itself. */
export const runParamsFromJson = ({ initial, current }: RunWeightsFiles): RunParams => ({ initial: tensorsFromJson(initial), current: tensorsFromJson(current) });

/** An MLP's tensors as `{ layers }`, any other model's as `{ tensors }`. */
export function tensorsToJson(tensors: readonly NamedTensor[]): WeightsFile {
  const layers = mlpFromNamed(tensors);
  return layers ? weightsToJson(layers) : { tensors: tensors.map(({ name, shape, values }) => ({ name, shape, values: Array.from(values) })) };
}

/** tensorsToJson's inverse, unchecked: for files the app wrote itself. */
export function tensorsFromJson(file: WeightsFile): NamedTensor[] {
  return 'layers' in file ? mlpToNamed(paramsFromJson(file)) : file.tensors.map(({ name, shape, values }) => ({ name, shape, values: Float32Array.from(values) }));
}

export function weightsToJson(params: readonly LayerParams[]): MlpWeightsFile {
  return {
    layers: params.map((p) => ({
      weights: Array.from({ length: p.fanIn }, (_, i) => Array.from(p.weights.subarray(i * p.fanOut, (i + 1) * p.fanOut))),
      bias: Array.from(p.bias),
    })),
  };
}

/**
 * Reads a weights file ({ layers } or the app's export, whose current weights are taken) for a network of
 * `spec`; every shape is checked, and a mismatch names the layer.
 */
export function weightsFromJson(input: unknown, spec: MlpSpec): LayerParams[] {
  const exported = exportedSchema.safeParse(input);
  const parsed = exported.success ? { success: true as const, data: exported.data.current } : weightsFileSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${['weights', ...issue.path].join('.')}: ${issue.message}`));
  const sizes = layerSizes(spec);
  const layers = parsed.data.layers;
  if (layers.length !== sizes.length - 1) throw new ConfigError([`weights.layers: the network has ${sizes.length - 1} layers, the file ${layers.length}`]);
  layers.forEach((layer, i) => {
    const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
    const problem = (what: string) => new ConfigError([`weights.layers.${i}: ${what}`]);
    if (layer.weights.length !== fanIn || layer.weights.some((row) => row.length !== fanOut)) throw problem(`weights must be ${fanIn} rows of ${fanOut} (x·W + b, fan-in first)`);
    if (layer.bias.length !== fanOut) throw problem(`bias must have ${fanOut} entries`);
    const values = [...layer.weights.flat(), ...layer.bias];
    if (!values.every((v) => Number.isFinite(v) && Math.abs(v) <= FLOAT32_MAX)) throw problem('has a value that is not a finite float32');
  });
  return paramsFromJson({ layers });
}

/** The layers of a weights file as parameters, unchecked: for files the app wrote itself (weightsToJson's inverse). */
export function paramsFromJson(file: MlpWeightsFile): LayerParams[] {
  return file.layers.map((layer) => ({ fanIn: layer.weights.length, fanOut: layer.bias.length, weights: Float32Array.from(layer.weights.flat()), bias: Float32Array.from(layer.bias) }));
}
