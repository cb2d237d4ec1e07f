import { describe, expect, it } from 'vitest';
import { parseRunFile, recordsToCsv, RUN_FILE_FORMAT, type RunRecord } from '../../src/core/runFile';
import { initParams, type MlpSpec } from '../../src/core/models/mlp';
import { weightsFromJson, weightsToJson } from '../../src/core/weights';
import { runExperiment } from '../../src/core/run';
import { parseRun } from '../../src/core/config/validate';
import { applyAssignments } from '../../src/core/config/overrides';
import { canonicalConfig, experimentFile, useBackend } from '../support/engine';

function record(relErrors: number[][]): RunRecord {
  return {
    format: RUN_FILE_FORMAT,
    version: 1,
    config: canonicalConfig(),
    backend: 'wasm',
    info: { inputs: 1, x: [], target: [], curveX: [], curveTarget: [], frequencies: [0, 1, 2, 3], targetAmplitude: [], peaks: [1, 3], parameterCount: 10 },
    snapshots: relErrors.map((relError, i) => ({ step: 10 * i, loss: 1 / (i + 1), output: [], curve: [], metrics: { frequency: { k: [1, 3], relError }, outputAmplitude: [] } })),
  };
}

describe('run files', () => {
  it('writes one CSV row per snapshot with the error at each peak', () => {
    expect(recordsToCsv([record([[1, 1], [0.5, 0.9]])])).toBe('run,step,loss,modelLoss,directions,rd,relError_k1,relError_k3\n0,0,1,,,,1,1\n0,10,0.5,,,,0.5,0.9\n');
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
    return JSON.parse(JSON.stringify(await runExperiment(parseRun(applyAssignments(experimentFile(file), [...small, ...assignments])), 'cpu'))) as RunRecord;
  };

  it('reads back what the runner writes, for every kind of run, and a diverged run as it is', async () => {
    for (const [file, ...assignments] of [['fprinciple-1d.json', 'model.widths=[8]'], ['condensation-2d.json', 'model.widths=[8]'], ['fprinciple-2d.json', 'model.widths=[8]', 'data.points=8']]) {
      const written = await trained(file, ...assignments);
      expect(parseRunFile(written)[0].snapshots).toEqual(written.snapshots);
    }
    const diverged = await trained('fprinciple-1d.json', 'model.widths=[8]', 'model.activation="relu"', 'train.optimizer="sgd"', 'train.lr=10', 'data.target="1e18*sin(x)"');
    expect(diverged.diverged?.message).toMatch(/diverged/);
    expect(diverged.weights?.current.layers[0].bias).toContain(null);
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
    expect(refused((r) => r.snapshots[1].output.pop())).toEqual([expect.stringMatching(/^snapshots\.1\.output: has \d+ values; the run has \d+ points$/)]);
    expect(refused((r) => (r.snapshots[2].step = 1))).toEqual([expect.stringMatching(/^snapshots\.2\.step: steps must increase/)]);
    expect(refused((r) => (r.snapshots[2].step = 1e9))).toEqual([expect.stringMatching(/^snapshots\.2\.step: 1000000000 is past the run's 4 steps$/)]);
    expect(refused((r) => ((r.snapshots[0].metrics as unknown as Record<string, unknown>).junk = { a: { b: { c: 1 } } }))).toEqual([expect.stringMatching(/^snapshots\.0\.metrics: .*junk/)]);
    expect(refused((r) => (r.junk = 1))).toEqual([expect.stringMatching(/^\(file\): .*junk/)]);
    expect(refused((r) => (r.weights!.current.layers[0].bias[0] = 1e39))).toEqual(['weights.current.layers.0: has a value that is not a finite float32 (and the run did not diverge)']);
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
