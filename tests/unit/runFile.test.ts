import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParams, type MlpSpec } from '../../src/core/models/mlpSpec';
import { CONDENSATION, NEURONS } from '../../src/core/probes/condensation';
import { CURVE, OUTPUT } from '../../src/core/probes/fit';
import { FREQUENCY } from '../../src/core/probes/frequency';
import { weightsFromJson, weightsToJson } from '../../src/core/weights';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile, recordsToCsv, RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunRecord } from '../../src/engine/runFile';
import { canonicalConfig, NODE_SOURCES, useBackend } from '../support/engine';
import { applyAssignments } from '../../src/core/config/overrides';
import { parseConfig } from '../../src/phenomena/engine';
import { experimentFile } from '../support/engine';

function record(relErrors: number[][]): RunRecord {
  return {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    config: canonicalConfig(),
    backend: 'wasm',
    info: { inputs: 1, x: [], target: [], curveX: [], curveTarget: [], frequencies: [0, 1, 2, 3], targetAmplitude: [], peaks: [1, 3], parameterCount: 10 } as RunRecord['info'],
    snapshots: relErrors.map((relError, i) => ({ step: 10 * i, loss: 1 / (i + 1), metrics: { output: [], frequency: { k: [1, 3], relError }, outputAmplitude: [] } })),
  };
}

/** Files the headless runner of the app before the phenomenon registry wrote (run file version 1). */
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

describe('run files', () => {
  it('writes one CSV row per snapshot with the error at each peak', () => {
    expect(recordsToCsv([record([[1, 1], [0.5, 0.9]])])).toBe('run,step,loss,relError_k1,relError_k3\n0,0,1,1,1\n0,10,0.5,0.5,0.9\n');
  });

  it('names the columns of every measurement that has them (a condensation run: directions and RD)', () => {
    const [condensation] = parseRunFile(fixture('run-v1-condensation.json'));
    expect(recordsToCsv([condensation]).split('\n')[0]).toBe('run,step,loss,relError_k2,directions,rd');
  });

  describe('version 1, as the app wrote it before the phenomenon registry', () => {
    beforeAll(() => useBackend('wasm'));

    it('opens, with the output, curve and neurons moved into metrics', () => {
      const [run] = parseRunFile(fixture('run-v1-condensation.json'));
      expect(run.version).toBe(RUN_FILE_VERSION);
      const last = run.snapshots.at(-1) as RunRecord['snapshots'][number];
      expect(last.step).toBe(40);
      expect(OUTPUT.of(last)).toHaveLength(5);
      expect(CURVE.of(last)).toHaveLength(201);
      expect(NEURONS.of(last)?.w).toHaveLength(100);
      expect(CONDENSATION.of(last)?.directions).toBeGreaterThan(0);
      expect(run.weights && 'layers' in run.weights.current && run.weights.current.layers).toHaveLength(2);
    });

    it('gives the same numbers as the run the engine makes of its config today', async () => {
      // Gradient descent: exactly the same snapshots and weights.
      const [condensation] = parseRunFile(fixture('run-v1-condensation.json'));
      const today = await runExperiment(condensation.config, 'wasm', undefined, NODE_SOURCES);
      expect(today.snapshots).toEqual(condensation.snapshots);
      expect(today.weights).toEqual(condensation.weights);
      // Adam: the same to float32 noise (its constants are in float64 since, as PyTorch has them).
      const [fit] = parseRunFile(fixture('run-v1-fprinciple.json'));
      const again = await runExperiment(fit.config, 'wasm', undefined, NODE_SOURCES);
      expect(again.snapshots.map((s) => s.step)).toEqual(fit.snapshots.map((s) => s.step));
      again.snapshots.forEach((snapshot, i) => {
        expect(Math.abs(snapshot.loss / fit.snapshots[i].loss - 1)).toBeLessThan(1e-5);
        FREQUENCY.of(snapshot)?.relError.forEach((e, k) => expect(e).toBeCloseTo(FREQUENCY.of(fit.snapshots[i])?.relError[k] ?? Number.NaN, 5));
      });
    });
  });

  it('reads a record or a page of records, validating the config by its schema', () => {
    const single = record([[1, 1]]);
    expect(parseRunFile(JSON.parse(JSON.stringify(single)))[0].snapshots).toEqual(single.snapshots);
    expect(parseRunFile({ runs: [single, single] })).toHaveLength(2);
    expect(() => parseRunFile({ ...single, format: 'other' })).toThrow(/format: /);
    expect(() => parseRunFile({ ...single, config: { ...single.config, seed: -1 } })).toThrow(/seed: /);
    expect(() => parseRunFile({ runs: [single, { ...single, snapshots: [] }] })).toThrow(/runs\.1\.snapshots: /);
  });
});

describe('run files checked against themselves', () => {
  const small = ['train.steps=4', 'train.snapshotEvery=2'];
  const trained = async (file: string, ...assignments: string[]) => {
    await useBackend('cpu');
    return JSON.parse(JSON.stringify(await runExperiment(parseConfig(applyAssignments(experimentFile(file), [...small, ...assignments])), 'cpu', undefined, NODE_SOURCES))) as RunRecord;
  };

  it('reads back what the runner writes, for every kind of run, and a diverged run as it is', async () => {
    for (const [file, ...assignments] of [['fprinciple-1d.json', 'model.widths=[8]'], ['condensation-2d.json', 'model.widths=[8]'], ['fprinciple-2d.json', 'model.widths=[8]', 'data.points=8']]) {
      const written = await trained(file, ...assignments);
      expect(parseRunFile(written)[0].snapshots).toEqual(written.snapshots);
    }
    const diverged = await trained('fprinciple-1d.json', 'model.widths=[8]', 'model.activation="relu"', 'train.optimizer="sgd"', 'train.lr=10', 'data.target="1e18*sin(x)"');
    expect(diverged.diverged?.message).toMatch(/diverged/);
    expect((diverged.weights?.current as { layers: { bias: unknown[] }[] }).layers[0].bias).toContain(null);
    expect(parseRunFile(diverged)[0].diverged).toEqual(diverged.diverged);
  });

  it('refuses snapshots that contradict the record, unknown fields at any depth, and weights beyond float32', async () => {
    const good = await trained('fprinciple-1d.json', 'model.widths=[4]');
    const refused = (change: (r: RunRecord & Record<string, unknown>) => void) => {
      const copy = structuredClone(good) as RunRecord & Record<string, unknown>;
      change(copy);
      try {
        parseRunFile(copy);
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
      return [];
    };
    expect(refused((r) => OUTPUT.of(r.snapshots[1])?.pop())).toEqual([expect.stringMatching(/^snapshots\.1\.metrics\.output: has \d+ values; the run has \d+ points$/)]);
    expect(refused((r) => (r.snapshots[2].step = 1))).toEqual([expect.stringMatching(/^snapshots\.2\.step: steps must increase/)]);
    expect(refused((r) => (r.snapshots[2].step = 1e9))).toEqual([expect.stringMatching(/^snapshots\.2\.step: 1000000000 is past the run's 4 steps$/)]);
    expect(refused((r) => ((r.snapshots[0].metrics as unknown as Record<string, unknown>).junk = { a: { b: { c: 1 } } }))).toEqual([expect.stringMatching(/^snapshots\.0\.metrics: .*junk/)]);
    expect(refused((r) => (r.junk = 1))).toEqual([expect.stringMatching(/^\(file\): .*junk/)]);
    expect(refused((r) => ((r.weights?.current as { layers: { bias: number[] }[] }).layers[0].bias[0] = 1e39))).toEqual(['weights.current.layers.0: has a value that is not a finite float32 (and the run did not diverge)']);
    expect(refused((r) => (r.config = { ...r.config, seed: -1 }))).toEqual([expect.stringMatching(/^config\.seed: /)]);
  });
});

describe('weights files', () => {
  const spec: MlpSpec = { inputDim: 1, widths: [3, 2], outputDim: 1, activation: 'tanh', init: { gamma: 0.5, scale: 1 } };
  const params = initParams(spec, 7);

  it('round-trips weights as nested [fan-in][fan-out] arrays', () => {
    const json = weightsToJson(params);
    expect(json.layers[1].weights).toHaveLength(3);
    expect(json.layers[1].weights[0]).toHaveLength(2);
    expect(json.layers[1].weights[2][1]).toBe(params[1].weights[2 * 2 + 1]);
    const back = weightsFromJson(JSON.parse(JSON.stringify(json)), spec);
    back.forEach((layer, i) => {
      expect(Array.from(layer.weights)).toEqual(Array.from(params[i].weights));
      expect(Array.from(layer.bias)).toEqual(Array.from(params[i].bias));
    });
    // The app's export: the current weights are taken.
    expect(Array.from(weightsFromJson({ initial: weightsToJson(initParams(spec, 1)), current: json }, spec)[0].bias)).toEqual(Array.from(params[0].bias));
  });

  it('names the layer whose shape does not fit the network', () => {
    const json = weightsToJson(params);
    expect(() => weightsFromJson({ layers: [json.layers[0], { ...json.layers[1], bias: [1] }, json.layers[2]] }, spec)).toThrow(/weights.layers.1: bias must have 2 entries/);
    expect(() => weightsFromJson({ layers: [json.layers[0], { ...json.layers[1], weights: json.layers[1].weights.slice(1) }, json.layers[2]] }, spec)).toThrow(/weights.layers.1: weights must be 3 rows of 2/);
    expect(() => weightsFromJson({ nothing: 1 }, spec)).toThrow(/weights.layers: /);
  });
});
