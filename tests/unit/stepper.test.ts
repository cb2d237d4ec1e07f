/**
 * Whatever path trains, a measurement reads the current weights: on the CPU step (which trains outside the
 * model's variables) the model a probe reads is brought up to date first, and read() gives the trained values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpFromNamed } from '../../src/core/models/mlpSpec';
import { NEURONS } from '../../src/core/probes/condensation';
import { parseFor } from '../../src/phenomena/engine';
import { buildFit } from '../../src/phenomena/fit/build';
import { condensation } from '../../src/phenomena/condensation';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';

describe('stepper', () => {
  beforeAll(() => useBackend('wasm'));

  it('on the CPU step, read() and the probes see the trained weights mid-run, the same as the tape', async () => {
    const config = parseFor(condensation, experimentFile('condensation.json'));
    const runs = await Promise.all([startRun(config), startRun(config, { tape: true })]);
    expect(runs.map((run) => run.trainingPath)).toEqual(['cpu-step', 'tape']);
    const [fast, tape] = await Promise.all(runs.map((run) => advanceTo(run, 200)));
    const [initial, trained] = [mlpFromNamed(runs[0].initialParams)?.[0], mlpFromNamed(await runs[0].readParams())?.[0]];
    const moved = Array.from(trained?.weights ?? [], (w, j) => Math.abs(w - (initial?.weights[j] ?? 0)));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
    // The probe's neurons are those read() gives, and the tape's within float error.
    expect(NEURONS.of(fast)?.w).toEqual(Array.from(trained?.weights ?? []));
    const gap = (NEURONS.of(fast)?.w ?? []).map((w, j) => Math.abs(w - (NEURONS.of(tape)?.w[j] ?? 0)));
    expect(Math.max(...gap)).toBeLessThan(1e-5);
    runs.forEach((run) => run.dispose());
  });
});

describe('probes', () => {
  beforeAll(() => useBackend('wasm'));

  it('a heavy probe measures on its own cadence, with the weights of that step, in the same read-back', async () => {
    const config = parseFor(condensation, experimentFile('condensation.json'));
    const seen: number[] = [];
    const heavy = {
      name: 'firstWeight',
      needs: ['layer0.weights'],
      every: 20,
      compute: (values: Readonly<Record<string, Float32Array>>, context: { step: number }) => {
        seen.push(context.step);
        return values['layer0.weights'][0];
      },
    };
    const run = buildFit(config, {}, () => [heavy]);
    const snapshots = [];
    for (let i = 0; i < 6; i++) snapshots.push(await advanceTo(run, 10));
    expect(seen).toEqual([20, 40, 60]);
    expect(snapshots.map((s) => 'firstWeight' in s.metrics)).toEqual([false, true, false, true, false, true]);
    const trained = mlpFromNamed(await run.readParams())?.[0].weights[0];
    expect(snapshots[5].metrics.firstWeight).toBe(trained);
    run.dispose();
  });
});
