import { describe, expect, it } from 'vitest';
import type { AutoChoice, ChoiceStore } from '../../src/core/autoChoice';
import { selectBackend, type BackendReport } from '../../src/core/backend';
import { applyAssignments } from '../../src/core/config/overrides';
import type { NamedTensor } from '../../src/core/models/model';
import { runParamsToJson, type MlpWeightsFile } from '../../src/core/weights';
import { EngineHost } from '../../src/engine/host';
import { phenomenonOf } from '../../src/phenomena/engine';
import { advanceTo, canonicalConfig, experimentFile, measures, startRun, useBackend } from '../support/engine';

const config = canonicalConfig('model.widths=[16,16]', 'train.snapshotEvery=10', 'backend="webgpu"');

/** A host whose "webgpu" is really wasm, and whose sessions can be told to fail like a lost device. */
function hostWithFlakyGpu() {
  const failure = { armed: false };
  const host = new EngineHost({
    selectBackend: async (requested, exclude) => {
      const real = await selectBackend('wasm', exclude);
      return requested === 'webgpu' ? ({ ...real, name: 'webgpu', requested } satisfies BackendReport) : real;
    },
    start: async (cfg, sources, options) => {
      const session = await phenomenonOf(cfg).start(cfg, sources, options);
      const advance = session.advance.bind(session);
      session.advance = async (steps) => {
        if (failure.armed) {
          failure.armed = false;
          throw new Error('GPUDevice was lost');
        }
        return advance(steps);
      };
      return session;
    },
  });
  return { host, failure };
}

describe('engine host', () => {
  it("'auto' with a store times the page's model where it runs (in Node: wasm), remembers it per size of model, and says what it timed", async () => {
    const kept = new Map<string, AutoChoice>();
    const store: ChoiceStore = { get: (key) => Promise.resolve(kept.get(key)), set: (key, choice) => Promise.resolve(void kept.set(key, choice)) };
    const auto = { ...config, backend: 'auto' as const };
    const first = new EngineHost({ choices: store });
    const loaded = await first.load(auto);
    expect(loaded.backend.name).toBe('wasm');
    expect(loaded.backend.reason).toMatch(/^auto: the fastest of those timed on this page's model: wasm \d[\d.]* steps\/s; passed over: webgpu: navigator\.gpu is missing/);
    expect([...kept.values()].map((c) => c.measured.map((m) => m.name))).toEqual([['wasm']]);
    first.dispose();
    // Another page load on this device: the remembered choice, not timed again.
    const again = await new EngineHost({ choices: store, selectBackend: () => Promise.reject(new Error('not asked')) }).load(auto);
    expect(again.backend.reason).toMatch(/\(on first use here, remembered\): wasm \d/);
    // A model of another size class is timed afresh.
    await new EngineHost({ choices: store }).load({ ...auto, model: { ...auto.model, widths: [256, 256] } });
    expect(kept.size).toBe(2);
  });

  it('rejects a broken config with the field named, keeping the loaded run', async () => {
    const { host } = hostWithFlakyGpu();
    await host.load(config);
    await expect(host.load({ ...config, seed: -1 })).rejects.toThrow(/seed: /);
    host.dispose();
  });

  it('keeps the current run playable when the engine refuses a new one the schema accepted', async () => {
    const host = new EngineHost({
      start: async (cfg, sources, options) => {
        if (cfg.seed === 13) throw new Error('refused by the engine');
        return phenomenonOf(cfg).start(cfg, sources, options);
      },
    });
    const wasm = { ...config, backend: 'wasm' as const };
    await host.load(wasm);
    await host.advance(10);
    await expect(host.load({ ...wasm, seed: 13 })).rejects.toThrow(/refused by the engine/);
    const next = await host.advance(10);
    expect(next.result.status === 'running' && next.result.snapshot.step).toBe(20);
    host.dispose();
  });

  it("names a saved run's misfit weights where they are in its file, keeping the loaded run", async () => {
    const host = new EngineHost();
    const wasm = { ...config, backend: 'wasm' as const };
    const loaded = await host.load(wasm);
    const { initial, current } = runParamsToJson(await host.params());
    const misfit = { layers: (current as MlpWeightsFile).layers.map((layer, i) => (i === 1 ? { ...layer, bias: [1] } : layer)) };
    await expect(host.load(wasm, { last: loaded.snapshot, weights: { initial, current: misfit } })).rejects.toThrow(/^invalid experiment config:\n {2}- weights\.current\.layers\.1: bias must have 16 entries$/);
    expect((await host.advance(10)).result.status).toBe('running');
    host.dispose();
  });

  it('continues on the next backend from the last snapshot when the GPU is lost', async () => {
    const { host, failure } = hostWithFlakyGpu();
    const loaded = await host.load(config);
    expect(loaded.backend.name).toBe('webgpu');
    const atTen = await host.advance(10);
    if (atTen.result.status !== 'running') throw new Error(`not running: ${atTen.result.status}`);

    failure.armed = true;
    const reply = await host.advance(10);
    expect(reply.recovered?.backend.name).toBe('wasm');
    expect(reply.recovered?.trainingPath).toBe('cpu-step');
    expect(reply.recovered?.message).toMatch(/^webgpu failed \(GPUDevice was lost\); continued on wasm from step 10/);
    if (reply.result.status !== 'running') throw new Error(`not running: ${reply.result.status}`);
    // Nothing the user had is lost: same step, same weights, so the same output.
    expect(reply.result.snapshot.step).toBe(10);
    expect(measures(reply.result.snapshot).output).toEqual(measures(atTen.result.snapshot).output);

    const next = await host.advance(10);
    expect(next.result.status === 'running' && next.result.snapshot.step).toBe(20);
    // Reset still goes back to the seeded start, not to the checkpoint.
    expect(measures(await host.reset()).output).toEqual(measures(loaded.snapshot).output);
    host.dispose();
  });

  it("an anchor run lost on the GPU continues with AdamW's state: the same loss as a run never interrupted", async () => {
    const tiny = applyAssignments(experimentFile('anchor.json'), ['model.dModel=16', 'model.dFeedForward=32', 'model.dK=16', 'train.batch=32', 'train.warmup=5', 'train.lr=0.01', 'train.steps=30', 'train.snapshotEvery=10', 'analysis.perPair=8']);
    const straight = new EngineHost();
    await straight.load({ ...(tiny as object), backend: 'wasm' });
    await straight.advance(10);
    const expected = await straight.advance(10);
    const { host, failure } = hostWithFlakyGpu();
    await host.load({ ...(tiny as object), backend: 'webgpu' });
    await host.advance(10);
    failure.armed = true;
    const reply = await host.advance(10);
    expect(reply.recovered?.message).toMatch(/from step 10 with the weights of that step and its optimizer state$/);
    const resumed = await host.advance(10);
    if (resumed.result.status !== 'running' || expected.result.status !== 'running') throw new Error('not running');
    expect(resumed.result.snapshot.step).toBe(20);
    expect(resumed.result.snapshot.loss).toBe(expected.result.snapshot.loss);
    [straight, host].forEach((h) => h.dispose());
  });

  it('does not hide failures on a CPU backend', async () => {
    const { host, failure } = hostWithFlakyGpu();
    await host.load({ ...config, backend: 'wasm' });
    failure.armed = true;
    await expect(host.advance(10)).rejects.toThrow(/GPUDevice was lost/);
    host.dispose();
  });
});

describe('an expensive run keeps the engine responsive', () => {
  /** Whether two sets of weights are the same bit for bit (a deep equality of a million floats takes vitest seconds). */
  const identical = (a: NamedTensor[], b: NamedTensor[]) =>
    a.length === b.length && a.every((p, i) => p.name === b[i].name && Buffer.compare(Buffer.from(p.values.buffer, p.values.byteOffset, p.values.byteLength), Buffer.from(b[i].values.buffer, b[i].values.byteOffset, b[i].values.byteLength)) === 0);
  /** Waits for the thread's next turn: what a message to the worker (a pause) waits for. */
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('an interrupted interval stops between two steps, and the next advance completes it: the same weights as without the stop', async () => {
    await useBackend('wasm');
    const wasm = { ...config, backend: 'wasm' as const };
    // A turn after every step, so the interruption lands at a known step.
    const interrupted = await startRun(wasm, { sliceMs: 0 });
    const straight = await startRun(wasm);
    try {
      let asked = 0;
      const stopped = await interrupted.advance(50, () => ++asked === 3);
      expect(stopped).toEqual({ status: 'interrupted', step: 3 });
      expect(interrupted.step).toBe(3);
      const resumed = await advanceTo(interrupted, 50);
      expect(resumed.step).toBe(50);
      expect(measures(resumed).output).toEqual(measures(await advanceTo(straight, 50)).output);
    } finally {
      interrupted.dispose();
      straight.dispose();
    }
  });

  it('a run saved inside an interval goes on to its next scheduled snapshot when reopened', async () => {
    await useBackend('wasm');
    const wasm = { ...config, backend: 'wasm' as const };
    const first = await startRun(wasm, { sliceMs: 0 });
    try {
      expect(await first.advance(10, () => true)).toEqual({ status: 'interrupted', step: 1 });
      const reopened = await startRun(wasm, { resumeFrom: { step: 1, params: await first.readParams() } });
      const next = await reopened.advance(10);
      expect(next.status === 'running' && next.snapshot.step).toBe(10);
      reopened.dispose();
    } finally {
      first.dispose();
    }
  });

  it('a pause inside one step of a huge network drops that step: the run stays at the step before, and goes on as without the pause', async () => {
    await useBackend('wasm');
    // A million parameters on 1024 points: each of the three 1024 × 1024 × 1024 products is split in parts
    // (cpuStep.ts: 2²⁶ multiply-adds a thread, so in 2 parts on up to 8 threads, the most the step uses), and with a
    // turn after every part but a product's last, the second turn is inside the first step.
    const huge = canonicalConfig('backend="wasm"', 'model.widths=[1024,1024]', 'data.points=1024', 'train.snapshotEvery=2', 'train.steps=4');
    const interrupted = await startRun(huge, { sliceMs: 0 });
    const straight = await startRun(huge);
    try {
      const before = await interrupted.readParams();
      let asked = 0;
      expect(await interrupted.advance(2, () => ++asked === 2)).toEqual({ status: 'interrupted', step: 0 });
      expect(interrupted.step).toBe(0);
      // The step under way changed no weight (and no optimizer state: the rest of the run is the same).
      expect(identical(await interrupted.readParams(), before)).toBe(true);
      const resumed = await advanceTo(interrupted, 2);
      expect(resumed.step).toBe(2);
      expect(measures(resumed).output).toEqual(measures(await advanceTo(straight, 2)).output);
      expect(identical(await interrupted.readParams(), await straight.readParams())).toBe(true);
    } finally {
      interrupted.dispose();
      straight.dispose();
    }
  });

  it('a pause takes effect after the step under way however long the interval, then reset and a new config take effect', async () => {
    const host = new EngineHost();
    // About 23 000 parameters on 1024 points, products too small to be split: a step takes milliseconds, and the
    // interval is a thousand steps; the pause arrives as a message would, at the engine's next turn.
    const expensive = canonicalConfig('backend="wasm"', 'model.widths=[150,150]', 'data.points=1024', 'train.snapshotEvery=1000', 'train.steps=2000');
    await host.load(expensive);
    const advancing = host.advance(1000);
    await nextTurn();
    host.interrupt();
    const reply = await advancing;
    expect(reply.result.status).toBe('interrupted');
    const step = (reply.result as { step: number }).step;
    console.info(`interrupted at step ${step} of an interval of 1000`);
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(1000);
    // The run stays where it stopped; the page's snapshot of it says so.
    expect((await host.snapshot()).step).toBe(step);
    expect((await host.reset()).step).toBe(0);

    // A load that a newer one overtakes gives way to it.
    const first = host.load(expensive);
    const second = host.load({ ...config, backend: 'wasm' });
    await expect(first).rejects.toThrow(/superseded/);
    expect((await second).info.parameterCount).toBe(16 * 16 + 16 + 16 + 16 + 17);
    host.dispose();
  });
});
