/** Node-side helpers for tests that train: the canonical config and a ready tfjs backend. */
import { readFileSync } from 'node:fs';
import { firstStepBelow } from '../../src/core/analysis/spectrum';
import { selectBackend, type BackendName } from '../../src/core/backend';
import { applyAssignments } from '../../src/core/config/overrides';
import type { ExperimentConfig } from '../../src/core/config/schema';
import { parseExperiment } from '../../src/core/config/validate';
import { Session } from '../../src/core/train/session';

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

/** Below this Δ_F a frequency counts as learned (SCIENCE.md). */
export const LEARNED = 0.1;

/**
 * Trains until every peak of the target is learned or the configured steps run out, and returns Δ_F per
 * snapshot and the first step each peak was learned (null: never).
 */
export async function trainUntilLearned(config: ExperimentConfig): Promise<{ peaks: number[]; steps: number[]; errors: number[][]; learned: (number | null)[] }> {
  const session = new Session(config);
  const steps: number[] = [];
  const errors: number[][] = [];
  try {
    while (!session.finished) {
      const result = await session.advance(config.train.snapshotEvery);
      if (result.status === 'diverged') throw new Error(result.message);
      steps.push(result.snapshot.step);
      errors.push(result.snapshot.metrics.frequency.relError);
      if (result.snapshot.metrics.frequency.relError.every((e) => e < LEARNED)) break;
    }
  } finally {
    session.dispose();
  }
  const peaks = session.info.peaks;
  const learned = peaks.map((_, i) => firstStepBelow(steps, errors.map((e) => e[i]), LEARNED));
  return { peaks, steps, errors, learned };
}
