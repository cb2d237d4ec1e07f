/**
 * Network weights as JSON, for export and for starting a run from weights another tool made. A layer computes
 * x·W + b, so `weights` is nested [fanIn][fanOut] (a PyTorch nn.Linear weight, transposed).
 */
import { z } from 'zod';
import { ConfigError } from './config/validate';
import { FLOAT32_MAX } from './data/function1d';
import { layerSizes, type LayerParams, type MlpSpec } from './models/mlp';

// Strict: a field the reader does not know is named, not silently dropped.
const layerSchema = z.object({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) }).strict();
const weightsFileSchema = z.object({ layers: z.array(layerSchema).min(1) }).strict();
/** What the app exports: the initial and the current weights. */
const exportedSchema = z.object({ initial: weightsFileSchema, current: weightsFileSchema }).strict();

export interface WeightsFile {
  layers: { weights: number[][]; bias: number[] }[];
}

/** A run's weights at step 0 and now, as arrays of floats (the JSON of a weights file is made only for a download). */
export interface RunParams {
  initial: LayerParams[];
  current: LayerParams[];
}

/** The same as weights files (a run file's `weights`). */
export interface RunWeightsFiles {
  initial: WeightsFile;
  current: WeightsFile;
}

export const runParamsToJson = ({ initial, current }: RunParams): RunWeightsFiles => ({ initial: weightsToJson(initial), current: weightsToJson(current) });

/** Unchecked, as paramsFromJson: for files the app wrote itself. */
export const runParamsFromJson = ({ initial, current }: RunWeightsFiles): RunParams => ({ initial: paramsFromJson(initial), current: paramsFromJson(current) });

export function weightsToJson(params: readonly LayerParams[]): WeightsFile {
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
export function paramsFromJson(file: WeightsFile): LayerParams[] {
  return file.layers.map((layer) => ({ fanIn: layer.weights.length, fanOut: layer.bias.length, weights: Float32Array.from(layer.weights.flat()), bias: Float32Array.from(layer.bias) }));
}
