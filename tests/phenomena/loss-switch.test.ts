/**
 * Loss jump (Wang, Zhang, Zhang, Xu 2024): trained on data, then switched to the Poisson model loss, the
 * network's error to the exact solution jumps, the low frequency it had learned is disturbed while the high one
 * improves; without the switch nothing jumps (real training, WASM).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import type { Snapshot } from '../../src/core/run/types';
import { parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { experimentFile, measures, startRun, useBackend } from '../support/engine';

const AFTER = 100;

async function snapshotsUntil(assignments: string[], last: number): Promise<Snapshot[]> {
  const config = parseFor(fprinciple1d, applyAssignments(experimentFile('loss-switch.json'), [...assignments, `train.steps=${last}`]));
  const session = await startRun(config);
  const snapshots: Snapshot[] = [];
  try {
    while (!session.finished) {
      const result = await session.advance(config.train.snapshotEvery);
      if (result.status === 'diverged') throw new Error(result.message);
      snapshots.push(result.snapshot);
    }
  } finally {
    session.dispose();
  }
  return snapshots;
}

describe('loss switch', () => {
  beforeAll(() => useBackend('wasm'));
  const switchAt = (parseFor(fprinciple1d, experimentFile('loss-switch.json')).train.lossSwitchAt ?? 0) as number;

  it('the error to the exact solution jumps when the data loss gives way to the model loss', async () => {
    const snapshots = await snapshotsUntil([], switchAt + AFTER);
    const at = snapshots.find((s) => s.step === switchAt) as Snapshot;
    const after = snapshots.filter((s) => s.step > switchAt);
    const peak = Math.max(...after.map((s) => s.loss));
    const [low, high] = [0, 1].map((i) => ({ at: measures(at).frequency.relError[i], max: Math.max(...after.map((s) => measures(s).frequency.relError[i])), end: measures(after.at(-1) as Snapshot).frequency.relError[i] }));
    console.info(
      `Loss switch at ${switchAt}: error ${at.loss.toExponential(2)} → max ${peak.toExponential(2)} (${(peak / at.loss).toFixed(0)}×) within ${AFTER} steps; ` +
        `Δ_F low ${low.at.toFixed(3)} → max ${low.max.toFixed(3)}; Δ_F high ${high.at.toFixed(3)} → ${high.end.toFixed(3)}`,
    );
    expect(measures(at).modelLoss?.training).toBe('poisson');
    expect(measures(at).frequency.k).toEqual([1, 6]);
    expect(low.at).toBeLessThan(0.02);
    expect(peak).toBeGreaterThan(10 * at.loss);
    expect(low.max).toBeGreaterThan(0.1);
    expect(high.end).toBeLessThan(high.at / 2);
  });

  it('without the switch nothing jumps (Adam\'s usual wiggles only)', async () => {
    const snapshots = await snapshotsUntil(['train.lossSwitchAt=null'], switchAt + AFTER);
    const at = snapshots.find((s) => s.step === switchAt) as Snapshot;
    const peak = Math.max(...snapshots.filter((s) => s.step > switchAt).map((s) => s.loss));
    console.info(`No switch: error ${at.loss.toExponential(2)} at ${switchAt}, max ${peak.toExponential(2)} after`);
    expect(measures(at).modelLoss).toBeUndefined();
    expect(peak).toBeLessThan(4 * at.loss);
  });
});
