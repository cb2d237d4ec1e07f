/** Any single-network run, by its config: a function fit (1-D, 2-D, image, condensation) or MNIST digits. */
import type { RunConfig } from '../config/validate';
import { withImagePixels, type DecodeImage } from '../data/image';
import type { Digits } from '../data/mnist';
import type { MlpSpec } from '../models/mlp';
import { MnistSession, mnistSpec } from './mnistSession';
import { mlpSpec, Session } from './session';
import type { TrainerOptions } from './trainer';

export type RunSession = Session | MnistSession;

/** The network a config trains. */
export function runSpec(config: RunConfig): MlpSpec {
  return config.phenomenon === 'fprinciple-mnist' ? mnistSpec(config) : mlpSpec(config);
}

/** `digits`: the shipped MNIST digits, needed (only) by MNIST configs. */
export function createRunSession(config: RunConfig, options: TrainerOptions = {}, digits: Digits | null = null): RunSession {
  if (config.phenomenon !== 'fprinciple-mnist') return new Session(config, options);
  if (!digits) throw new Error('the MNIST digits have not been loaded');
  return new MnistSession(config, digits, options);
}

export interface RunSources {
  decodeImage: DecodeImage;
  loadDigits: () => Promise<Digits>;
}

/** Loads what a config names but does not carry: an image target's pixels, or the MNIST digits. */
export async function prepareRun(config: RunConfig, sources: RunSources): Promise<{ config: RunConfig; digits: Digits | null }> {
  if (config.phenomenon === 'fprinciple-mnist') return { config, digits: await sources.loadDigits() };
  return { config: await withImagePixels(config, sources.decodeImage), digits: null };
}
