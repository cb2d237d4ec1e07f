/**
 * Neural collapse and minority collapse with real training (the page's setting, experiments/neural-collapse.json,
 * K = 10, cut to its first 1,000 steps): a balanced run reaches zero training error and goes on; NC1 falls below
 * 0.02 (issue #15's threshold), the classifiers' mean cosine is −1/(K−1) and the network classifies by the
 * nearest class mean. The same run with the last five classes 100 times smaller: their classifiers turn parallel
 * (minority collapse) and their test accuracy falls to nothing. The same setting in PyTorch
 * (tests/bench/collapse_reference.py) gives the same picture; the engine's steps equal PyTorch's from the same
 * weights (tests/bench/collapse.ts compare). The pairwise cosines themselves stay spread (std ≈ 0.1): weight
 * decay this strong also lowers the features' rank, and the run does not reach the simplex's equal angles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { COLLAPSE, GEOMETRY, type CollapseGeometry, type CollapseMetrics } from '../../src/core/probes/collapse';
import { applyAssignments } from '../../src/core/config/overrides';
import { parseFor } from '../../src/phenomena/engine';
import { neuralCollapse } from '../../src/phenomena/neural-collapse';
import type { Snapshot } from '../../src/core/run/types';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';

/** The page runs 2,000 steps; the thresholds are met by 1,000 (measured: NC1 0.0134 at 1,000, 0.0131 at 2,000). */
const STEPS = Number(process.env.COLLAPSE_STEPS ?? 1000);
const K = 10;

/** The largest |cos + 1/(K−1)| over the distinct pairs of a K × K cosine matrix: every pair, not their mean. */
const worst = (cosines: number[]) => Math.max(...cosines.map((c, i) => (Math.floor(i / K) === i % K ? 0 : Math.abs(c + 1 / (K - 1)))));

interface Measured {
  step: number;
  m: CollapseMetrics;
  /** worst(…) of the classifiers' and of the centred means' cosines. */
  classifiers: number;
  means: number;
}

async function train(...assignments: string[]): Promise<Measured[]> {
  // The LPM curve is the unit tests' business; one R keeps this test to the network.
  const config = parseFor(neuralCollapse, applyAssignments(experimentFile('neural-collapse.json'), ['lpm.ratios=[1]', `train.steps=${STEPS}`, ...assignments]));
  const session = await startRun(config as never);
  const measured: Measured[] = [];
  const measure = (snapshot: Snapshot) => {
    const geometry = GEOMETRY.of(snapshot) as CollapseGeometry;
    measured.push({ step: snapshot.step, m: COLLAPSE.of(snapshot) as CollapseMetrics, classifiers: worst(geometry.classifierCosines), means: worst(geometry.meanCosines) });
  };
  try {
    measure(await session.snapshot());
    while (!session.finished) measure(await advanceTo(session, config.train.snapshotEvery));
  } finally {
    session.dispose();
  }
  return measured;
}

describe('neural collapse', () => {
  beforeAll(() => useBackend('wasm'));

  it('balanced: NC1 falls, classifiers at the simplex, nearest-mean classification; imbalanced: the minority classifiers collapse', async () => {
    const balanced = await train(...(process.env.COLLAPSE_SET ?? '').split(' ').filter(Boolean));
    const first = balanced[0];
    const early = balanced[1];
    const zero = balanced.find((s) => s.m.trainError === 0);
    const last = balanced[balanced.length - 1].m;
    const trend = balanced.filter((s) => s.step % 500 === 0).map((s) => `${s.step}: ${s.classifiers.toFixed(4)} / ${s.means.toFixed(4)}`);
    console.info(`balanced: worst |cos + 1/9| of classifiers / of centred means at step ${trend.join(', ')}`);
    console.info(
      `balanced: NC1 ${first.m.nc1.toExponential(2)} at initialization, ${early.m.nc1.toExponential(2)} at step ${early.step}; zero training error at step ${zero?.step} (NC1 ${zero?.m.nc1.toExponential(2)}); at the end NC1 ${last.nc1.toExponential(2)}, classifier cos ${last.classifierCosine.toFixed(4)} ± ${last.equiangularClassifiers.toFixed(3)}, equinorm ${last.equinormClassifiers.toFixed(3)}, NC3 ${last.nc3.toFixed(3)}, NC4 ${last.nc4}, minority cos ${last.minorityCosine.toFixed(3)}, minority test accuracy ${last.minorityTestAccuracy.toFixed(2)}`,
    );
    expect(zero).toBeDefined();
    expect(last.trainError).toBe(0);
    expect(last.nc1).toBeLessThan(0.02);
    expect(last.nc1).toBeLessThan(first.m.nc1 / 3);
    expect(last.nc1).toBeLessThan((zero as { m: CollapseMetrics }).m.nc1);
    expect(Math.abs(last.classifierCosine + 1 / (K - 1))).toBeLessThan(0.01);
    expect(last.nc4).toBe(0);

    if (process.env.COLLAPSE_BALANCED_ONLY) return;
    const imbalanced = (await train('imbalance.ratio=100')).at(-1)?.m as CollapseMetrics;
    console.info(`R = 100: minority cos ${imbalanced.minorityCosine.toFixed(3)} (balanced ${last.minorityCosine.toFixed(3)}), minority test accuracy ${imbalanced.minorityTestAccuracy.toFixed(2)} (balanced ${last.minorityTestAccuracy.toFixed(2)})`);
    expect(last.minorityCosine).toBeLessThan(0);
    expect(imbalanced.minorityCosine).toBeGreaterThan(0.8);
    expect(imbalanced.minorityTestAccuracy).toBeLessThan(last.minorityTestAccuracy / 2);
  }, 600_000); // ~25 s of CPU; the limit is for a loaded machine
});
