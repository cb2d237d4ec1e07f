/**
 * MscaleDNN in numbers (SCIENCE.md): on sin(πx) + sin(20πx) the multi-scale network brings the high peak's
 * Δ_F below 0.1 in fewer steps than a plain network with the same number of parameters (real training, WASM).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { parameterCount } from '../../src/core/models/mlpSpec';
import { parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { fitNetwork } from '../../src/phenomena/fit/network';
import { experimentFile, trainUntilLearned, useBackend } from '../support/engine';

async function train(...assignments: string[]): Promise<{ peaks: number[]; learned: (number | null)[]; params: number }> {
  const config = parseFor(fprinciple1d, applyAssignments(experimentFile('mscale.json'), assignments));
  const { peaks, learned } = await trainUntilLearned(config);
  console.info(`${assignments.join(' ') || 'MscaleDNN'}: Δ_F < 0.1 first at ${peaks.map((k, i) => `k=${k}: ${learned[i]}`).join(', ')} (of ${config.train.steps} steps)`);
  return { peaks, learned, params: parameterCount(fitNetwork(config)) };
}

describe('MscaleDNN', () => {
  beforeAll(() => useBackend('wasm'));

  it('learns the high frequency in fewer steps than a plain network of the same size', async () => {
    const mscale = await train();
    const plain = await train('model.activation="relu"', 'model.scales=null');
    expect(mscale.peaks).toEqual([1, 20]);
    expect(plain.params).toBe(mscale.params);
    const [mscaleHigh, plainHigh] = [mscale.learned[1], plain.learned[1]];
    expect(mscaleHigh).not.toBeNull();
    // The plain network either never gets there in the run or gets there later.
    if (plainHigh !== null) expect(mscaleHigh as number).toBeLessThan(plainHigh);
  });
});
