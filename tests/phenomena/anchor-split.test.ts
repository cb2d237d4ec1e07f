/**
 * The anchor page's key 4 with real training: the quick setting with 3 layers (ours; 3000 steps), seed 1, where the
 * initialization decides the answer on the held-out pair (4, 3), the other way round from the paper: the smaller
 * initialization (γ = 0.8) fits the seen pairs and copies x − 6 from (3, 4) (symmetric), the larger (γ = 0.5) fits
 * and answers x − 10 (inferential). Checked at step 2000 of the 3000, where both have settled (README: seed 1 ends
 * at symmetric 1.00 and inferential 0.92). The direction (the small initialization reasons) holds for no
 * browser-sized setting found; seeds 1–6 of this setting in PyTorch are in tests/bench/anchor_search.jsonl.
 * About 3 CPU-minutes each (2000 steps at 12 steps per CPU-second).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { anchor } from '../../src/phenomena/anchor';
import { ANCHOR } from '../../src/phenomena/anchor/probes';
import { parseFor } from '../../src/phenomena/engine';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';

const CHECKED_AT = 2000;
/** Steps between the snapshots the test reads. */
const EVERY = 500;

/** Key 4's run at `gamma`, trained to CHECKED_AT: its measures there, and the (4, 3) answers along the way. */
async function keyFour(gamma: number) {
  // Snapshots (every test sequence through the network) only where the test reads them: the training is the same.
  const config = parseFor(anchor, applyAssignments(experimentFile('anchor.json'), ['model.layers=3', 'train.steps=3000', `model.init.gamma=${gamma}`, `train.snapshotEvery=${EVERY}`]));
  const run = await startRun(config);
  const along: string[] = [];
  let measures;
  for (let step = EVERY; step <= CHECKED_AT; step += EVERY) {
    measures = ANCHOR.of(await advanceTo(run, EVERY));
    along.push(`${step}: seen ${measures?.seen.toFixed(2)} inferential ${measures?.inferential.toFixed(2)} symmetric ${measures?.symmetric.toFixed(2)}`);
  }
  run.dispose();
  console.info(`anchor, 3 layers, γ = ${gamma}, seed 1: ${along.join(' · ')}`);
  if (!measures) throw new Error('the run measured nothing');
  return measures;
}

describe('anchor functions, 3 layers: the initialization decides the answer', () => {
  beforeAll(() => useBackend('wasm'));

  it.each([
    { gamma: 0.8, std: 0.06, wins: 'symmetric', answer: 'x − 6', other: 'inferential' },
    { gamma: 0.5, std: 0.18, wins: 'inferential', answer: 'x − 10', other: 'symmetric' },
  ] as const)('γ = $gamma (std $std) fits the seen pairs and answers (4, 3) $wins, $answer', async ({ gamma, wins, other }) => {
    const m = await keyFour(gamma);
    expect(m.seen).toBeGreaterThanOrEqual(0.9);
    expect(m[wins]).toBeGreaterThanOrEqual(0.8);
    expect(m[other]).toBeLessThanOrEqual(0.1);
  }, 900_000);
});
