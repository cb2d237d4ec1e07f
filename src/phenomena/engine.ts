/**
 * The engine's registry: every phenomenon, one line each. Configs are read by their `phenomenon` field; nothing
 * else in the app chooses by a phenomenon's name. No tfjs here: each phenomenon loads its build when it starts.
 */
import { ConfigError, parseWith } from '../core/config/validate';
import { adamSpike } from './adam-spike';
import { anchor } from './anchor';
import { condensation } from './condensation';
import { dnnJacobi } from './dnn-jacobi';
import { embedding } from './embedding';
import { fprinciple1d } from './fprinciple-1d';
import { grid } from './grid';
import { grokking } from './grokking';
import { initError } from './init-error';
import { lossSpike } from './loss-spike';
import { fprinciple2d } from './fprinciple-2d';
import { fprincipleMnist } from './fprinciple-mnist';
import { neuralCollapse } from './neural-collapse';
import { parity } from './parity';
import { phaseDiagram } from './phase-diagram';
import type { AnyPhenomenon, ConfigHeader, Phenomenon } from './types';

export const PHENOMENA = [fprinciple1d, fprinciple2d, condensation, fprincipleMnist, phaseDiagram, adamSpike, lossSpike, neuralCollapse, embedding, dnnJacobi, parity, grokking, initError, anchor, grid] as const;

const REGISTERED: readonly AnyPhenomenon[] = PHENOMENA;

/** A config of any phenomenon (read off the registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConfig = (typeof PHENOMENA)[number] extends infer P ? (P extends Phenomenon<infer C, any> ? C : never) : never;

/** The phenomenon of a config (trusted: already parsed). */
export function phenomenonOf(config: { phenomenon: string }): AnyPhenomenon {
  const found = REGISTERED.find((p) => p.id === config.phenomenon);
  if (!found) throw new ConfigError([`phenomenon: unknown phenomenon "${config.phenomenon}"`]);
  return found;
}

/** Validates untrusted input as the config of the phenomenon it names, with that phenomenon's defaults. */
export function parseConfig(input: unknown): AnyConfig {
  const id = (input as { phenomenon?: unknown } | null)?.phenomenon;
  const found = REGISTERED.find((p) => p.id === id);
  if (!found) throw new ConfigError([`phenomenon: must be one of ${PHENOMENA.map((p) => p.id).join(', ')}${id === undefined ? '' : ` (got ${JSON.stringify(id)})`}`]);
  return parseWith(found.schema, input) as AnyConfig;
}

/** Validates untrusted input as a config of this phenomenon (its schema alone). */
export function parseFor<C extends ConfigHeader>(phenomenon: Phenomenon<C>, input: unknown): C {
  return parseWith(phenomenon.schema, input);
}

/** Like parseConfig, but reads JSON text first so a syntax error is reported the same way. */
export function parseConfigJson(text: string): AnyConfig {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`(file): not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(input);
}
