/**
 * Parity and aliasing with real training (WASM, the CPU step): the paper's network fits the 200 training points of
 * experiments/parity.json to a mean squared error below 1e-3 while its signs on the other 824 points are no better
 * than chance, and its spectrum on the whole cube holds the training set's artificial low frequencies instead of
 * parity's peak at k = ¼.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile } from '../../src/engine/runFile';
import { parseFor } from '../../src/phenomena/engine';
import { parity } from '../../src/phenomena/parity';
import { GENERALIZATION, PARITY_SPECTRA, type ParityInfo } from '../../src/phenomena/parity/measures';
import { experimentFile, useBackend } from '../support/engine';

describe('parity: aliasing and bad generalization', () => {
  beforeAll(() => useBackend('wasm'));

  it('fits the training points, fails the test points, and its spectrum is low-frequency', async () => {
    // 200 steps: the first snapshot (every 20) with the training error below 1e-3 (measured: 3.7e-4; 4.7e-3 at 180).
    const config = parseFor(parity, applyAssignments(experimentFile('parity.json'), ['train.steps=200', 'train.snapshotEvery=20']));
    const record = await runExperiment(config, 'wasm');
    expect(parseRunFile(JSON.parse(JSON.stringify(record)))).toHaveLength(1);
    const last = record.snapshots.at(-1)!;
    const fit = GENERALIZATION.of(last)!;
    const info = record.info as ParityInfo;
    const spectra = PARITY_SPECTRA.of(last)!;
    const at = (k: number) => info.frequencies.findIndex((f) => Math.abs(f - k) < 1e-9);
    const low = info.frequencies.flatMap((k, i) => (k <= 0.1 ? [i] : []));
    const lowMax = (values: number[]) => Math.max(...low.map((i) => values[i]));
    console.info(
      `parity at step ${last.step}: train MSE ${last.loss.toExponential(2)}, test MSE ${fit.testLoss.toFixed(3)}, test sign accuracy ${fit.testAccuracy.toFixed(3)} (train ${fit.trainAccuracy}); ` +
        `|ŷ| at k = 0.1: cube ${info.fullAmplitude[at(0.1)].toFixed(4)}, training set ${info.trainAmplitude[at(0.1)].toFixed(4)}; network on the cube: k = ¼ ${spectra.full[at(0.25)].toFixed(3)} (parity: 1), largest at k ≤ 0.1 ${lowMax(spectra.full).toFixed(3)} (parity: ${lowMax(info.fullAmplitude).toFixed(4)})`,
    );
    expect(last.loss).toBeLessThan(1e-3);
    expect(fit.trainAccuracy).toBe(1);
    expect(fit.testAccuracy).toBeLessThan(0.65);
    // The training set aliases parity's high frequencies into low ones (measured 0.042 against 0.0049 at k = 0.1)…
    expect(info.trainAmplitude[at(0.1)]).toBeGreaterThan(5 * info.fullAmplitude[at(0.1)]);
    // …and the network, fitted to them, carries low frequencies parity does not have (measured 0.10 against 0.0049)
    // while missing most of its peak (measured 0.17 of 1).
    expect(lowMax(spectra.full)).toBeGreaterThan(5 * lowMax(info.fullAmplitude));
    expect(spectra.full[at(0.25)]).toBeLessThan(0.5);
  });
});
