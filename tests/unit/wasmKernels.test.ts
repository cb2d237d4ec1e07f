/** The CPU step's WebAssembly kernels: the binary is what the text compiles to; Adam steps as PyTorch's does; tanh is accurate. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compiledWasmModule, WASM_SOURCES } from '../../src/build/wasm';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, WasmAdam, WasmTanh } from '../../src/core/train/wasmKernels';

describe('WebAssembly kernels', () => {
  it('each generated module matches its .wat source (run npm run build:wasm after editing one)', async () => {
    for (const source of WASM_SOURCES) {
      const { path, text } = await compiledWasmModule(source);
      expect(readFileSync(path, 'utf8'), path).toBe(text);
    }
  });

  it('follows the textbook update step by step, for a count that is not a multiple of the four lanes', () => {
    const count = 7;
    const adam = new WasmAdam(count);
    const params = Float64Array.from({ length: count }, (_, i) => 0.5 - i / 10);
    const [m, v] = [new Float64Array(count), new Float64Array(count)];
    adam.params.set(params);
    const lr = 0.01;
    for (let t = 1; t <= 5; t++) {
      const gradient = params.map((p, i) => Math.sin(3 * p + i) * (i % 2 ? 1e-3 : 1));
      adam.gradient.set(gradient);
      adam.step(lr);
      for (let i = 0; i < count; i++) {
        m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * gradient[i];
        v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * gradient[i] ** 2;
        const mHat = m[i] / (1 - ADAM_BETA1 ** t);
        const vHat = v[i] / (1 - ADAM_BETA2 ** t);
        params[i] -= (lr * mHat) / (Math.sqrt(vHat) + ADAM_EPSILON);
      }
      for (let i = 0; i < count; i++) expect(adam.params[i]).toBeCloseTo(params[i], 6);
    }
    // The first step moves every parameter by about lr, whatever the gradient's size (Adam's signature).
    expect(Math.abs(adam.params[1] - (0.5 - 1 / 10))).toBeGreaterThan(0.01);
  });

  it('restart clears the moments: the next step is a first step again', () => {
    const adam = new WasmAdam(4);
    adam.gradient.set([1, -1, 2, -2]);
    adam.step(0.1);
    adam.step(0.1);
    adam.restart();
    adam.params.fill(0);
    adam.step(0.1);
    for (const p of adam.params) expect(Math.abs(p)).toBeCloseTo(0.1, 5);
  });

  it('tanh is within a few float32 ulps of Math.tanh from 1e-30 to saturation, with the slope 1 − tanh²', () => {
    const values = [0, 1e-30, -1e-12, 1e-7, 3.9e-4, 4.1e-4, -0.01, 0.1, -0.5, 1, 2.5, -5, 7.9, 8, 20, -1e4];
    for (let e = -20; e <= 1; e += 0.05) values.push(10 ** e, -(10 ** e) * 1.3);
    const kernel = new WasmTanh(values.length);
    kernel.input.set(values);
    kernel.run(values.length);
    let worst = 0;
    values.forEach((z, i) => {
      const exact = Math.tanh(Math.fround(z));
      worst = Math.max(worst, exact === 0 ? Math.abs(kernel.output[i]) : Math.abs(kernel.output[i] - exact) / Math.abs(exact));
      expect(kernel.slope[i]).toBeCloseTo(1 - kernel.output[i] ** 2, 6);
    });
    // 2σ(2z) − 1 in float32, what the step used before, is off by 100 % at z = 1e-8.
    expect(worst).toBeLessThan(1e-6);
  });

  it('tanh stops at the count it is given (rounded up to lanes of four) and lets NaN through (divergence stays visible)', () => {
    const kernel = new WasmTanh(8);
    kernel.input.set([Number.NaN, 1, 2, 3, 4, 5, 6, 7]);
    kernel.output.fill(42);
    kernel.run(4);
    expect(kernel.output[0]).toBeNaN();
    expect(kernel.output[3]).toBeCloseTo(Math.tanh(3), 6);
    expect(Array.from(kernel.output.subarray(4))).toEqual([42, 42, 42, 42]);
  });
});
