/**
 * Grokking with real training (WASM, the CPU step): the page's setting (experiments/grokking.json, ours) fits every
 * training pair of modular addition mod 31 long before it gets the test pairs right, and the error by frequency
 * on the test pairs falls at the jump.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile } from '../../src/engine/runFile';
import { parseFor } from '../../src/phenomena/engine';
import { FITTED, GROKKED, grokking } from '../../src/phenomena/grokking';
import { firstStepAt, GENERALIZATION, TEST_FREQUENCY_ERROR, TRAIN_FREQUENCY_ERROR } from '../../src/phenomena/grokking/measures';
import { experimentFile, useBackend } from '../support/engine';

describe('grokking on modular addition', () => {
  beforeAll(() => useBackend('wasm'));

  it('fits the training pairs early, the test pairs many steps later', async () => {
    const config = parseFor(grokking, applyAssignments(experimentFile('grokking.json'), ['train.steps=800', 'train.snapshotEvery=10']));
    const record = await runExperiment(config, 'wasm');
    expect(parseRunFile(JSON.parse(JSON.stringify(record)))).toHaveLength(1);
    const steps = record.snapshots.map((s) => s.step);
    const fits = record.snapshots.map((s) => GENERALIZATION.of(s)!);
    const fitted = firstStepAt(steps, fits.map((f) => f.trainAccuracy), FITTED)!;
    const grokked = firstStepAt(steps, fits.map((f) => f.testAccuracy), GROKKED)!;
    const at = (step: number) => record.snapshots[steps.indexOf(step)];
    const mean = (values: number[]) => values.slice(1).reduce((sum, v) => sum + v, 0) / (values.length - 1);
    const [early, late] = [at(fitted), at(grokked)];
    console.info(
      `grokking: training pairs fitted (≥ ${FITTED}) at step ${fitted}, test accuracy there ${GENERALIZATION.of(early)!.testAccuracy.toFixed(3)}; test ≥ ${GROKKED} at ${grokked} (${(grokked / fitted).toFixed(1)}×). ` +
        `Mean test error over k ≥ 1: ${mean(TEST_FREQUENCY_ERROR.of(early)!).toFixed(3)} → ${mean(TEST_FREQUENCY_ERROR.of(late)!).toFixed(3)}; training ${mean(TRAIN_FREQUENCY_ERROR.of(early)!).toFixed(3)}. ` +
        `Test accuracy by step: ${record.snapshots.filter((s) => s.step % 100 === 0).map((s) => `${s.step}: ${GENERALIZATION.of(s)!.testAccuracy.toFixed(2)}`).join('  ')}`,
    );
  });
});
