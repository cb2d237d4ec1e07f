/**
 * Loss spikes with real training (WASM backend): the canonical run of experiments/loss-spike.json, gradient
 * descent at η = 0.04, through its first two spikes. Each starts while λ_max of the Hessian is above 2/η with the
 * gradient aligned to the sharpest direction, and ends with λ_max back below 2/η.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { CONDENSATION } from '../../src/core/probes/condensation';
import { FREQUENCY } from '../../src/core/probes/frequency';
import { SHARPNESS } from '../../src/core/probes/sharpness';
import { runExperiment } from '../../src/engine/headless';
import { parseFor } from '../../src/phenomena/engine';
import { lossSpike, stabilityBound } from '../../src/phenomena/loss-spike';
import { lossSpikes } from '../../src/phenomena/loss-spike/spikes';
import { experimentFile, NODE_SOURCES, useBackend } from '../support/engine';

describe('loss spikes under gradient descent', () => {
  beforeAll(() => useBackend('wasm'));

  it('the loss spikes when λ_max is above 2/η and recovers as λ_max falls below it', async () => {
    const config = parseFor(lossSpike, applyAssignments(experimentFile('loss-spike.json'), ['train.steps=340']));
    const record = await runExperiment(config, 'wasm', undefined, NODE_SOURCES);
    const bound = stabilityBound(config.train.lr);
    const at = new Map(record.snapshots.map((s) => [s.step, s]));
    const sharpness = (step: number) => {
      const value = SHARPNESS.of(at.get(step) ?? record.snapshots[0]);
      if (!value) throw new Error(`no sharpness at step ${step}`);
      return value;
    };
    const spikes = lossSpikes(record.snapshots, 5);
    for (const spike of spikes) {
      const before = spike.start - config.train.snapshotEvery;
      const [pre, peak, end] = [before, spike.peak, spike.end ?? spike.peak].map((step) => at.get(step));
      const line = (label: string, step: number) =>
        `${label} ${step}: loss ${at.get(step)?.loss.toFixed(3)}, λ_max ${sharpness(step).lambdaMax.toFixed(1)}, gᵀHg/‖g‖² ${sharpness(step).gradientCurvature.toFixed(1)}, Δ_F ${FREQUENCY.of(at.get(step) ?? record.snapshots[0])?.relError.map((e) => e.toFixed(2)).join('/')}, directions ${CONDENSATION.of(at.get(step) ?? record.snapshots[0])?.directions}`;
      console.info(`spike ×${spike.ratio.toFixed(1)} (2/η = ${bound}):\n  ${line('before', before)}\n  ${line('peak', spike.peak)}\n  ${line('end', spike.end ?? spike.peak)}`);
      expect(pre && peak && end).toBeTruthy();
      // The rise began while the landscape was too sharp for η, along the sharpest direction…
      expect(sharpness(before).lambdaMax).toBeGreaterThan(bound);
      expect(sharpness(before).gradientCurvature).toBeGreaterThan(bound);
      // …and the spike is over once λ_max is back below 2/η.
      expect(spike.end).not.toBeNull();
      expect(sharpness(spike.end as number).lambdaMax).toBeLessThan(bound);
      // In frequency (the paper's reading): the low frequency is the one thrown off, and it is re-learned first.
      const relError = (step: number) => FREQUENCY.of(at.get(step) ?? record.snapshots[0])?.relError ?? [];
      const [low, high] = [(step: number) => relError(step)[0], (step: number) => relError(step)[relError(step).length - 1]];
      expect(low(spike.peak) - low(before)).toBeGreaterThan(high(spike.peak) - high(before));
      expect(low(spike.end as number)).toBeLessThan(0.5 * low(spike.peak));
    }
    expect(spikes.length).toBeGreaterThanOrEqual(2);
    // Between spikes the loss never rose 5× while λ_max stayed below the bound: every rise above 1.5× its running minimum came with λ_max > 2/η just before.
    const rises = lossSpikes(record.snapshots, 1.5, 1.2);
    for (const rise of rises) expect(sharpness(rise.start - config.train.snapshotEvery).lambdaMax, `rise at step ${rise.start}`).toBeGreaterThan(bound);
  });
});
