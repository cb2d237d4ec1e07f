/** The network a fitting config trains, and weights files checked against it (no tfjs). */
import { mlpToNamed, type MlpSpec } from '../../core/models/mlpSpec';
import type { NamedTensor } from '../../core/models/model';
import { weightsFromJson } from '../../core/weights';
import type { FitConfig } from './schema';

export function fitNetwork(config: FitConfig): MlpSpec {
  const { widths, activation, init, dropout, scales } = config.model;
  return { inputDim: config.data.inputs, widths, outputDim: 1, activation, init, dropout, scales: scales ?? undefined };
}

/** A weights file for an MLP of `network`, every shape checked. */
export const readMlpWeights = (input: unknown, network: MlpSpec): NamedTensor[] => mlpToNamed(weightsFromJson(input, network));
