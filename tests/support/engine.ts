/** Node-side helpers for tests that train: the canonical config, a ready tfjs backend, runs of any phenomenon. */
import { readFileSync } from 'node:fs';
import { firstStepBelow } from '../../src/core/analysis/spectrum';
import { selectBackend, type BackendName } from '../../src/core/backend';
import { applyAssignments } from '../../src/core/config/overrides';
import { CONDENSATION } from '../../src/core/probes/condensation';
import { MODEL_LOSS, OUTPUT } from '../../src/core/probes/fit';
import { FREQUENCY } from '../../src/core/probes/frequency';
import { FILTERING } from '../../src/core/probes/highDimensional';
import type { RunSession, Snapshot } from '../../src/core/run/types';
import { decodePng } from '../../src/cli/decodePng';
import { readPackageDigits } from '../../src/cli/mnistDigits';
import { parseFor, phenomenonOf, type AnyConfig } from '../../src/phenomena/engine';
import type { FitInfo } from '../../src/phenomena/fit/info';
import type { FitConfig } from '../../src/phenomena/fit/schema';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import type { RunSources, StartOptions } from '../../src/phenomena/types';

export function experimentFile(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../experiments/${name}`, import.meta.url), 'utf8'));
}

/** The canonical F-Principle config with `path=value` overrides. */
export function canonicalConfig(...assignments: string[]): FitConfig {
  return parseFor(fprinciple1d, applyAssignments(experimentFile('fprinciple-1d.json'), assignments));
}

export async function useBackend(name: BackendName = 'wasm'): Promise<void> {
  const report = await selectBackend(name);
  if (report.name !== name) throw new Error(`wanted ${name}, got ${report.reason}`);
}

/** What the headless runner loads: images from files, the digits from the npm package. */
export const NODE_SOURCES: RunSources = { decodeImage: decodePng, loadDigits: async () => readPackageDigits() };

/** A run of any config, as the host starts it (what the config names loaded first). */
export async function startRun<I extends FitInfo = FitInfo>(input: AnyConfig, options: StartOptions = {}): Promise<RunSession<I>> {
  const phenomenon = phenomenonOf(input);
  const config = await phenomenon.prepare(input, NODE_SOURCES);
  return (await phenomenon.start(config, NODE_SOURCES, options)) as RunSession<I>;
}

/** Advances and returns the snapshot, failing the test on divergence. */
export async function advanceTo(session: RunSession, steps: number): Promise<Snapshot> {
  const result = await session.advance(steps);
  if (result.status === 'diverged') throw new Error(result.message);
  return result.snapshot;
}

/** Below this Δ_F a frequency counts as learned (SCIENCE.md). */
export const LEARNED = 0.1;

/**
 * Trains until every peak of the target is learned or the configured steps run out, and returns Δ_F per
 * snapshot and the first step each peak was learned (null: never).
 */
export async function trainUntilLearned(config: FitConfig): Promise<{ peaks: number[]; steps: number[]; errors: number[][]; learned: (number | null)[] }> {
  const session = await startRun(config);
  const steps: number[] = [];
  const errors: number[][] = [];
  try {
    while (!session.finished) {
      const snapshot = await advanceTo(session, config.train.snapshotEvery);
      const relError = FREQUENCY.of(snapshot)?.relError ?? [];
      steps.push(snapshot.step);
      errors.push(relError);
      if (relError.every((e) => e < LEARNED)) break;
    }
  } finally {
    session.dispose();
  }
  const peaks = session.info.peaks;
  const learned = peaks.map((_, i) => firstStepBelow(steps, errors.map((e) => e[i]), LEARNED));
  return { peaks, steps, errors, learned };
}

/** The measurements the tests read, typed by their probes (the frequency errors must be there). */
export function measures(snapshot: Snapshot) {
  const frequency = FREQUENCY.of(snapshot);
  if (!frequency) throw new Error(`no frequency errors at step ${snapshot.step}`);
  return { frequency, modelLoss: MODEL_LOSS.of(snapshot), condensation: CONDENSATION.of(snapshot), output: OUTPUT.of(snapshot), filtering: FILTERING.of(snapshot) };
}
