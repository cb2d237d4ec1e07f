/**
 * 'auto' never picks a GPU backend that a software renderer runs (issue 21), and says why it passed it over.
 * WASM's products with transposed operands (wasmMatMul.ts) give the CPU backend's values, gradients too, and free what they make.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { chooseByMeasurement, choiceKey, describeChoice, fastest, sizeClass, type AutoChoice, type AutoSteps, type ChoiceStore } from '../../src/core/autoChoice';
import { BACKEND_ORDER, selectBackend, type BackendName, type GpuProbes } from '../../src/core/backend';

const software: GpuProbes = {
  webgpuAdapter: () => Promise.resolve({ isFallbackAdapter: false, names: 'google swiftshader SwiftShader Device (Subzero)' }),
  webglRenderer: () => 'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)',
};

describe('backend selection', () => {
  it("'auto' passes over software WebGPU and WebGL, naming the renderer in the reason", async () => {
    const report = await selectBackend('auto', [], software);
    expect(report.name).toBe('wasm');
    expect(report.skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    expect(report.reason).toMatch(/webgpu: software adapter \(google swiftshader .*\), slower than the CPU/);
    expect(report.reason).toMatch(/webgl: software renderer \(ANGLE \(Mesa, llvmpipe .*\), slower than the CPU/);
  });

  it('a fallback adapter counts as software whatever its name', async () => {
    const report = await selectBackend('auto', [], { webgpuAdapter: () => Promise.resolve({ isFallbackAdapter: true, names: '' }), webglRenderer: () => null });
    expect(report.skipped[0]).toEqual({ name: 'webgpu', error: 'software adapter, slower than the CPU' });
  });

  it('a hardware GPU is tried (here, in Node, it then fails for want of WebGPU), and a backend asked for by name is not second-guessed', async () => {
    const hardware: GpuProbes = { webgpuAdapter: () => Promise.resolve({ isFallbackAdapter: false, names: 'nvidia ampere' }), webglRenderer: () => 'ANGLE (NVIDIA GeForce RTX 3060)' };
    const auto = await selectBackend('auto', [], hardware);
    expect(auto.reason).not.toMatch(/software/);
    expect(auto.skipped[0].error).toMatch(/navigator\.gpu is missing/);
    const named = await selectBackend('webgpu', [], software);
    expect(named.skipped[0].error).toMatch(/navigator\.gpu is missing/);
  });
});

/** Backends as 'auto' by measurement sees them: which are software, which start, how fast each is timed. */
function fakeSteps(rates: Partial<Record<BackendName, number>>, software: Partial<Record<BackendName, string>> = {}, failing: BackendName[] = []) {
  const timed: BackendName[] = [];
  const steps: AutoSteps = {
    candidates: BACKEND_ORDER,
    software: (name) => Promise.resolve(software[name] ?? null),
    start: (name) => Promise.resolve(failing.includes(name) ? 'initialization failed' : null),
    measure: (name) => {
      timed.push(name);
      return Promise.resolve(rates[name] ?? 0);
    },
  };
  return { steps, timed };
}

function memoryStore(): ChoiceStore & { kept: Map<string, AutoChoice> } {
  const kept = new Map<string, AutoChoice>();
  return { kept, get: (key) => Promise.resolve(kept.get(key)), set: (key, choice) => Promise.resolve(void kept.set(key, choice)) };
}

describe("'auto' by measurement", () => {
  const swiftshader = { webgpu: 'software adapter (google swiftshader), slower than the CPU' };

  it('never times a software adapter, so never takes it, and says so beside what it timed', async () => {
    const { steps, timed } = fakeSteps({ webgpu: 1e6, webgl: 3, wasm: 420 }, swiftshader);
    const { choice, remembered } = await chooseByMeasurement(steps, memoryStore(), 'k');
    expect(timed).toEqual(['webgl', 'wasm']);
    expect([choice.name, remembered]).toEqual(['wasm', false]);
    expect(describeChoice(choice, false)).toBe("auto: the fastest of those timed on this page's model: webgl 3 steps/s, wasm 420 steps/s; passed over: webgpu: software adapter (google swiftshader), slower than the CPU");
  });

  it('takes the fastest measured, a GPU when it is faster; cpu is timed only where wasm does not start', async () => {
    expect((await chooseByMeasurement(fakeSteps({ webgpu: 900, webgl: 200, wasm: 420 }).steps, memoryStore(), 'k')).choice.name).toBe('webgpu');
    const noWasm = fakeSteps({ cpu: 13 }, { webgpu: 'software', webgl: 'software' }, ['wasm']);
    const { choice } = await chooseByMeasurement(noWasm.steps, memoryStore(), 'k');
    expect([choice.name, noWasm.timed]).toEqual(['cpu', ['cpu']]);
    expect(fastest([{ name: 'webgl', stepsPerSecond: 5 }, { name: 'wasm', stepsPerSecond: 5 }])).toBe('webgl');
  });

  it('reuses the choice remembered for the key without timing again, and times afresh for another key', async () => {
    const store = memoryStore();
    await chooseByMeasurement(fakeSteps({ webgl: 50, wasm: 420 }, swiftshader).steps, store, 'device | fit | 4^9');
    const again = fakeSteps({ webgl: 5000, wasm: 1 }, swiftshader);
    const reused = await chooseByMeasurement(again.steps, store, 'device | fit | 4^9');
    expect([reused.choice.name, reused.remembered, again.timed]).toEqual(['wasm', true, []]);
    expect(describeChoice(reused.choice, true)).toMatch(/^auto: the fastest of those timed on this page's model \(on first use here, remembered\): webgl 50 steps\/s, wasm 420 steps\/s; passed over: webgpu: software/);
    const other = await chooseByMeasurement(again.steps, store, 'device | fit | 4^12');
    expect([other.choice.name, other.remembered]).toEqual(['webgl', false]);
  });

  it('a model no backend runs throws its own error', async () => {
    const steps = { ...fakeSteps({}).steps, measure: () => Promise.reject(new Error('widths: too large')) };
    await expect(chooseByMeasurement(steps, memoryStore(), 'k')).rejects.toThrow('widths: too large');
  });

  it('size classes group models whose steps cost within a factor of 2 either way', () => {
    expect(sizeClass({ parameters: 2701, points: 61 })).toBe(sizeClass({ parameters: 2701 * 1.9, points: 61 }));
    expect(sizeClass({ parameters: 2701, points: 61 })).not.toBe(sizeClass({ parameters: 2701 * 16, points: 61 }));
    expect(choiceKey('nvidia ampere / ANGLE / 2 threads', 'fit', { parameters: 2701, points: 61 })).toBe('nvidia ampere / ANGLE / 2 threads | fit | 4^9');
  });
});

describe('products on wasm with transposed operands', () => {
  /** Values and gradients of every transpose combination, batched, on one backend; values alone where the batch is broadcast (tfjs has no gradient there). */
  async function products(backend: 'wasm' | 'cpu'): Promise<number[][]> {
    await tf.setBackend(backend);
    const seeded = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 3], [5, 4], true, false],
      [[3, 5], [4, 5], false, true],
      [[5, 3], [4, 5], true, true],
      [[2, 3, 5, 3], [2, 3, 4, 5], true, true],
      [[2, 3, 7, 5], [2, 3, 7, 4], true, false],
      [[2, 1, 5, 3], [1, 3, 4, 5], true, true],
    ];
    return cases.flatMap(([sa, sb, ta, tb], i) =>
      tf.tidy(() => {
        const [a, b] = [seeded(sa, 2 * i + 1), seeded(sb, 2 * i + 2)];
        const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb);
        const broadcast = sa.some((size, axis) => axis < sa.length - 2 && size !== sb[axis]);
        const gradients = broadcast ? [] : tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(product(x, y))))([a, b]);
        return [product(a, b), ...gradients].map((t) => Array.from(t.dataSync()));
      }),
    );
  }

  it("match the CPU backend's values and gradients, and leave no data behind", async () => {
    const cpu = await products('cpu');
    await tf.setBackend('wasm');
    const held = tf.backend().numDataIds();
    const wasm = await products('wasm');
    expect(tf.backend().numDataIds()).toBe(held);
    wasm.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(cpu[i][j], 4)));
  });
});
