/** Node-side helpers for tests that train: the canonical config and a ready tfjs backend. */
import { readFileSync } from 'node:fs';
import { selectBackend, type BackendName } from '../../src/core/backend';
import { applyAssignments } from '../../src/core/config/overrides';
import type { ExperimentConfig } from '../../src/core/config/schema';
import { parseExperiment } from '../../src/core/config/validate';

export function experimentFile(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../experiments/${name}`, import.meta.url), 'utf8'));
}

/** The canonical F-Principle config with `path=value` overrides. */
export function canonicalConfig(...assignments: string[]): ExperimentConfig {
  return parseExperiment(applyAssignments(experimentFile('fprinciple-1d.json'), assignments));
}

export async function useBackend(name: BackendName = 'wasm'): Promise<void> {
  const report = await selectBackend(name);
  if (report.name !== name) throw new Error(`wanted ${name}, got ${report.reason}`);
}
