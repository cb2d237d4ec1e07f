/**
 * Initialization-induced error through the engine: on a fixed set of seeds, the same wide network fitted to the same
 * points from its random start and from the antisymmetric start (output 0) fits the training points both times, and
 * the antisymmetric start ends with the lower test error every time.
 */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile } from '../../src/engine/runFile';
import { initError } from '../../src/phenomena/init-error';
import { INIT_ERROR, type InitErrorInfo } from '../../src/phenomena/init-error/run';
import { parseFor } from '../../src/phenomena/engine';
import { experimentFile, NODE_SOURCES } from '../support/engine';

describe('Initialization-induced error', () => {
  it('the quick run on seeds 1–3: the antisymmetric start lowers the test error', { timeout: 300_000 }, async () => {
    const file = experimentFile('init-error.json') as Record<string, unknown>;
    const found: { seed: number; random: number; antisymmetric: number }[] = [];
    for (const seed of [1, 2, 3]) {
      const config = parseFor(initError, { ...file, seed });
      const record = await runExperiment(config, 'cpu', undefined, NODE_SOURCES);
      if (seed === 1) expect(parseRunFile(JSON.parse(JSON.stringify(record)))).toHaveLength(1);
      const start = INIT_ERROR.of(record.snapshots[0])!;
      // The antisymmetric network starts from output 0 (to rounding), the random one from its own non-zero function.
      expect(Math.max(...start.antisymmetric.output.map(Math.abs))).toBeLessThan(1e-12);
      expect(start.random.output).toEqual((record.info as InitErrorInfo).initialOutput);
      const last = INIT_ERROR.of(record.snapshots.at(-1)!)!;
      // Both fit the training points (½ MSE; the target's ½ mean square is about 0.25).
      expect(last.random.trainLoss).toBeLessThan(2e-3);
      expect(last.antisymmetric.trainLoss).toBeLessThan(2e-3);
      found.push({ seed, random: last.random.testError, antisymmetric: last.antisymmetric.testError });
    }
    console.info(`init error, test error (relative L2) random / antisymmetric: ${found.map((f) => `seed ${f.seed} ${f.random.toFixed(4)} / ${f.antisymmetric.toFixed(4)}`).join('; ')}`);
    // Measured: 0.37, 0.47 and 0.60 of the random start's error (seeds 4 and 5: 0.39, 0.60).
    for (const f of found) expect(f.antisymmetric).toBeLessThan(0.8 * f.random);
  });
});
