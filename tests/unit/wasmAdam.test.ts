/** The WebAssembly Adam: its binary is what its text compiles to, and it steps as PyTorch's Adam does. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compiledWasmModule, WASM_SOURCES } from '../../src/build/wasm';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, WasmAdam } from '../../src/core/train/wasmAdam';

describe('WebAssembly Adam', () => {
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
});
