/**
 * The CPU step's WebAssembly kernels: the binary is what the text compiles to; products agree with a plain triple
 * loop for every block shape; Adam steps as PyTorch's does; tanh is accurate.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compiledWasmModule, WASM_SOURCES } from '../../src/build/wasm';
import { bytesFromBase64 } from '../../src/core/bytes';
import { CpuStep } from '../../src/core/train/cpuStep';
import { RELAXED } from '../../src/core/train/wasm/kernelsBinary';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, ParameterBlock, WasmKernels, type Matrix } from '../../src/core/train/wasmKernels';
import { CANONICAL_POINTS, CANONICAL_WIDTH, REFERENCE_LR, referenceData, referenceParams } from '../bench/reference';

/** A matrix of the kernels' memory filled with seeded values (its padding zero), and its values as rows. */
function filled(kernels: WasmKernels, rows: number, cols: number, seed: number): { matrix: Matrix; values: number[][] } {
  const matrix = kernels.matrix(rows, cols);
  const view = kernels.viewOf(matrix);
  const values = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => Math.fround(Math.sin(seed + 7 * r + 3 * c))));
  values.forEach((row, r) => row.forEach((v, c) => (view[r * matrix.stride + c] = v)));
  return { matrix, values };
}

/** A matrix's values as rows, without its padding. */
function rowsOf(kernels: WasmKernels, matrix: Matrix): number[][] {
  const view = kernels.viewOf(matrix);
  return Array.from({ length: matrix.rows }, (_, r) => Array.from(view.subarray(r * matrix.stride, r * matrix.stride + matrix.cols)));
}

/** Equal to float32 rounding (relative 1e-6 of the larger of 1 and the value). */
function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - expected[r][c]), `[${r}, ${c}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected[r][c])))));
}

describe('WebAssembly kernels', () => {
  it('each generated module matches its .wat source (run npm run build:wasm after editing one)', async () => {
    for (const source of WASM_SOURCES) {
      const { path, text } = await compiledWasmModule(source);
      expect(readFileSync(path, 'utf8'), path).toBe(text);
    }
  });

  it('multiplies like a triple loop for every block shape (4 × 8, 4 × 4, single rows), a transposed left operand and a bias', () => {
    for (const [m, k, n] of [[8, 16, 16], [7, 5, 12], [1, 100, 64], [200, 1, 4], [3, 2, 4], [13, 9, 20]]) {
      const kernels = new WasmKernels();
      const a = filled(kernels, m, k, 1);
      const aT = filled(kernels, k, m, 2);
      const b = filled(kernels, k, n, 3);
      const bias = kernels.allocate(m);
      const biasValues = Array.from({ length: m }, (_, r) => r - 2.5);
      kernels.view(bias, m).set(biasValues);
      const product = (left: (r: number, i: number) => number) =>
        Array.from({ length: m }, (_, r) => Array.from({ length: n }, (_, c) => b.values.reduce((sum, row, i) => sum + left(r, i) * row[c], 0)));
      const c = kernels.matrix(m, n);
      kernels.matmul(c, a.matrix, b.matrix);
      expectClose(rowsOf(kernels, c), product((r, i) => a.values[r][i]));
      kernels.matmul(c, aT.matrix, b.matrix, { transposeA: true, bias });
      expectClose(rowsOf(kernels, c), product((r, i) => aT.values[i][r]).map((row, r) => row.map((v) => v + biasValues[r])));
    }
  });

  it('multiplies past its cache blocks (several slices of k, blocks of rows and of columns, a last panel of 4 columns) exactly as a float32 loop over k in order, also computed in parts of rows and of columns and in ranges of the terms of its sums, and writes nothing outside C', () => {
    // k in slices of 256, columns in blocks of 512, rows in strips of 4 (kernels.wat).
    for (const [m, k, n, transposeA] of [[67, 513, 516, false], [130, 300, 12, true], [5, 257, 1028, true], [64, 256, 512, false]] as const) {
      const kernels = new WasmKernels();
      const a = transposeA ? filled(kernels, k, m, 1) : filled(kernels, m, k, 1);
      const b = filled(kernels, k, n, 3);
      const bias = kernels.allocate(m);
      kernels.view(bias, m).set(Array.from({ length: m }, (_, r) => r / 7 - 2));
      const c = kernels.matrix(m, n);
      const guard = kernels.matrix(4, n);
      kernels.viewOf(guard).fill(7);
      kernels.matmul(c, a.matrix, b.matrix, { transposeA, bias });
      const left = (r: number, i: number) => (transposeA ? a.values[i][r] : a.values[r][i]);
      const biasValues = kernels.view(bias, m);
      const expected = Array.from({ length: m }, (_, r) =>
        Array.from({ length: n }, (_, col) => b.values.reduce((sum, row, i) => Math.fround(sum + Math.fround(left(r, i) * row[col])), biasValues[r])),
      );
      expect(rowsOf(kernels, c), `${m} × ${k} × ${n}`).toEqual(expected);
      expect(kernels.viewOf(guard).every((v) => v === 7)).toBe(true);
      // In parts of rows (how the CPU step splits a huge product, so that a pause need not wait for it): the same.
      const inParts = kernels.matrix(m, n);
      for (let from = 0; from < m; from += 12) kernels.matmul(inParts, a.matrix, b.matrix, { transposeA, bias, rows: { from, count: Math.min(12, m - from) } });
      expect(rowsOf(kernels, inParts), `${m} × ${k} × ${n} in parts of 12 rows`).toEqual(expected);
      // In ranges of the sums' terms, each over parts of columns and of rows (the CPU step's parts of a huge
      // product), whole slices of 256 or not: the same.
      for (const ranges of [[0, 256, k], [0, 100, 356, k]]) {
        const inRanges = kernels.matrix(m, n);
        for (const [i, first] of ranges.slice(0, -1).entries()) {
          const depth = { from: first, to: Math.min(k, ranges[i + 1]) };
          if (depth.from >= depth.to) continue;
          for (let left = 0; left < c.stride; left += 260) {
            const columns = { from: left, count: Math.min(260, c.stride - left) };
            for (let from = 0; from < m; from += 32) kernels.matmul(inRanges, a.matrix, b.matrix, { transposeA, bias, rows: { from, count: Math.min(32, m - from) }, columns, depth });
          }
        }
        expect(rowsOf(kernels, inRanges), `${m} × ${k} × ${n} in terms ${ranges.join(', ')}`).toEqual(expected);
      }
    }
  });

  it('on two threads (shared memory, rows split between them), multiplies bit for bit as on one, however the rows divide, also in ranges of the terms of its sums; tanh and elementwise products shared by values, transposes by columns, and a product finished by tanh or a multiply on its own rows too', async () => {
    const threaded = new WasmKernels(2);
    try {
      // The helper starts on its own; until then products run on this thread alone.
      for (let waited = 0; !threaded.threaded && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(threaded.threaded).toBe(true);
      // Each at least 2²² multiply-adds, so that it is split (wasmKernels.ts). m = 3: the second share is empty;
      // m = 5: a share of one row; m = 130: of 68 and 62.
      for (const [m, k, n, transposeA] of [[130, 300, 516, true], [5, 900, 1000, false], [3, 1400, 1000, true], [67, 513, 516, false]] as const) {
        const results = [new WasmKernels(), threaded].map((kernels) => {
          const a = transposeA ? filled(kernels, k, m, 1) : filled(kernels, m, k, 1);
          const b = filled(kernels, k, n, 3);
          const bias = kernels.allocate(m);
          kernels.view(bias, m).set(Array.from({ length: m }, (_, r) => r / 7 - 2));
          const c = kernels.matrix(m, n);
          kernels.matmul(c, a.matrix, b.matrix, { transposeA, bias });
          // The same product again in two ranges of terms and two parts of columns, each split among the threads too.
          const inRanges = kernels.matrix(m, n);
          for (const depth of [{ from: 0, to: 256 }, { from: 256, to: k }]) {
            for (const columns of [{ from: 0, count: 8 }, { from: 8, count: c.stride - 8 }]) kernels.matmul(inRanges, a.matrix, b.matrix, { transposeA, bias, depth, columns });
          }
          return [rowsOf(kernels, c), rowsOf(kernels, inRanges)];
        });
        expect(results[1][0], `${m} × ${k} × ${n}`).toEqual(results[0][0]);
        expect(results[1][1], `${m} × ${k} × ${n} in ranges of terms`).toEqual(results[0][0]);
      }
      // tanh and the elementwise product, shared by values (2¹⁷ and more, wasmKernels.ts), in place too: the same.
      // So are transposes.
      // 37 × 4097: a value count that is not a multiple of the two shares' lanes.
      const elementwise = [new WasmKernels(), threaded].map((kernels) => {
        const z = filled(kernels, 37, 4097, 2);
        const [a, slope] = [kernels.matrix(37, 4097), kernels.matrix(37, 4097)];
        kernels.tanh(z.matrix, a, slope);
        kernels.multiply(a, slope);
        kernels.tanh(z.matrix, z.matrix, slope);
        // Transposes shared by the source's columns in tiles of 32: 4097 of them (a share of 2080 and one of
        // 2017) and 37 (of 32 and 5).
        const [wide, tall] = [kernels.matrix(4097, 37), kernels.matrix(37, 4097)];
        kernels.transpose(wide, a);
        kernels.transpose(tall, wide);
        return [a, slope, z.matrix, wide, tall].map((matrix) => Array.from(kernels.viewOf(matrix)));
      });
      expect(elementwise[1]).toEqual(elementwise[0]);
      // A product finished by tanh or a multiply on each share's own rows (130 rows: shares of 68 and 62), whole
      // and in two ranges of terms (the last finishing), against the product and then the operation on one thread.
      const finished = [new WasmKernels(), threaded].map((kernels, i) => {
        const [a, b] = [filled(kernels, 130, 300, 1).matrix, filled(kernels, 300, 516, 3).matrix];
        const [z, slope, inRanges, rangeSlope, product, factor] = [0, 1, 2, 3, 4, 5].map(() => kernels.matrix(130, 516));
        kernels.view(factor.offset, 130 * 516).set(Array.from({ length: 130 * 516 }, (_, j) => (j % 7) / 3 - 1));
        if (i === 0) {
          kernels.matmul(z, a, b);
          kernels.tanh(z, z, slope);
          kernels.matmul(product, a, b);
          kernels.multiply(product, factor);
          return [z, slope, product].map((matrix) => Array.from(kernels.viewOf(matrix)));
        }
        kernels.matmul(z, a, b, { then: { tanh: slope } });
        kernels.matmul(inRanges, a, b, { depth: { from: 0, to: 256 } });
        kernels.matmul(inRanges, a, b, { depth: { from: 256, to: 300 }, then: { tanh: rangeSlope } });
        kernels.matmul(product, a, b, { then: { multiply: factor } });
        return [[z, slope, product], [inRanges, rangeSlope, product]].map((matrices) => matrices.map((matrix) => Array.from(kernels.viewOf(matrix))));
      });
      const [alone, together] = finished as [number[][], number[][][]];
      expect(together[0]).toEqual(alone);
      expect(together[1]).toEqual(alone);
    } finally {
      threaded.dispose();
    }
  });

  it('refuses shapes that do not fit, transposes (in tiles and past them), sums rows and multiplies elementwise', () => {
    const kernels = new WasmKernels();
    const { matrix, values } = filled(kernels, 5, 6, 4);
    expect(() => kernels.matmul(kernels.matrix(5, 8), matrix, kernels.matrix(5, 8))).toThrow(/matmul of \[5, 6\] by \[5, 8\]/);
    const transposed = kernels.matrix(6, 5);
    kernels.transpose(transposed, matrix);
    expect(rowsOf(kernels, transposed)).toEqual(values[0].map((_, c) => values.map((row) => row[c])));
    // Past its tiles of 32 × 32, with a last tile of each kind cut short.
    const large = filled(kernels, 70, 45, 5);
    const largeTransposed = kernels.matrix(45, 70);
    kernels.transpose(largeTransposed, large.matrix);
    expect(rowsOf(kernels, largeTransposed)).toEqual(large.values[0].map((_, c) => large.values.map((row) => row[c])));
    const sums = kernels.allocate(5);
    kernels.rowSums(sums, matrix);
    Array.from(kernels.view(sums, 5)).forEach((sum, r) => expect(sum).toBeCloseTo(values[r].reduce((s, v) => s + v, 0), 5));
    const other = filled(kernels, 5, 6, 9);
    kernels.multiply(matrix, other.matrix);
    expectClose(rowsOf(kernels, matrix), values.map((row, r) => row.map((v, c) => v * other.values[r][c])));
  });

  it('follows the textbook Adam update step by step, for a count that is not a multiple of the four lanes', () => {
    const count = 7;
    const block = new ParameterBlock(new WasmKernels(), count);
    const params = Float64Array.from({ length: count }, (_, i) => 0.5 - i / 10);
    const [m, v] = [new Float64Array(count), new Float64Array(count)];
    block.params.set(params);
    const lr = 0.01;
    for (let t = 1; t <= 5; t++) {
      const gradient = params.map((p, i) => Math.sin(3 * p + i) * (i % 2 ? 1e-3 : 1));
      block.gradient.set(gradient);
      block.adam(lr);
      for (let i = 0; i < count; i++) {
        m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * gradient[i];
        v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * gradient[i] ** 2;
        const mHat = m[i] / (1 - ADAM_BETA1 ** t);
        const vHat = v[i] / (1 - ADAM_BETA2 ** t);
        params[i] -= (lr * mHat) / (Math.sqrt(vHat) + ADAM_EPSILON);
      }
      for (let i = 0; i < count; i++) expect(block.params[i]).toBeCloseTo(params[i], 6);
    }
    // The first step moves every parameter by about lr, whatever the gradient's size (Adam's signature).
    expect(Math.abs(block.params[1] - (0.5 - 1 / 10))).toBeGreaterThan(0.01);
    // The padding beyond the count has no gradient and stays zero.
    expect(Array.from(block.params.subarray(count))).toEqual([0]);
  });

  it('restart clears the moments: the next step is a first step again; gradient descent is p − lr·g', () => {
    const block = new ParameterBlock(new WasmKernels(), 4);
    block.gradient.set([1, -1, 2, -2]);
    block.adam(0.1);
    block.adam(0.1);
    block.restart();
    block.params.fill(0);
    block.adam(0.1);
    for (const p of block.params) expect(Math.abs(p)).toBeCloseTo(0.1, 5);
    block.params.fill(1);
    block.sgd(0.5);
    expect(Array.from(block.params)).toEqual([0.5, 1.5, 0, 2]);
  });

  it('tanh is within a few float32 ulps of Math.tanh from 1e-30 to saturation, with the slope 1 − tanh²', () => {
    const values = [0, 1e-30, -1e-12, 1e-7, 3.9e-4, 4.1e-4, -0.01, 0.1, -0.5, 1, 2.5, -5, 7.9, 8, 20, -1e4];
    for (let e = -20; e <= 1; e += 0.05) values.push(10 ** e, -(10 ** e) * 1.3);
    const kernels = new WasmKernels();
    const [z, a, slope] = [0, 1, 2].map(() => kernels.matrix(1, values.length));
    kernels.viewOf(z).set(values);
    kernels.tanh(z, a, slope);
    const [output, slopes] = [kernels.viewOf(a), kernels.viewOf(slope)];
    let worst = 0;
    values.forEach((value, i) => {
      const exact = Math.tanh(Math.fround(value));
      worst = Math.max(worst, exact === 0 ? Math.abs(output[i]) : Math.abs(output[i] - exact) / Math.abs(exact));
      expect(slopes[i]).toBeCloseTo(1 - output[i] ** 2, 6);
    });
    // 2σ(2z) − 1 in float32, what the step used before, is off by 100 % at z = 1e-8.
    expect(worst).toBeLessThan(1e-6);
  });

  it('tanh works in place and lets NaN through (divergence stays visible)', () => {
    const kernels = new WasmKernels();
    const [z, slope] = [kernels.matrix(2, 4), kernels.matrix(2, 4)];
    kernels.viewOf(z).set([Number.NaN, 1, 2, 3, 4, 5, 6, 7]);
    kernels.tanh(z, z, slope);
    const values = kernels.viewOf(z);
    expect(values[0]).toBeNaN();
    expect(values[3]).toBeCloseTo(Math.tanh(3), 6);
    expect(values[7]).toBeCloseTo(Math.tanh(7), 6);
  });

  it('with relaxed SIMD, the fused product agrees with the plain one to float32 rounding, and the CPU step trains the same curve', () => {
    // Node 20 has relaxed SIMD behind a flag (Chromium and Node ≥ 22 without); the kernels choose by validating it.
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    onTestFinished(() => setFlagsFromString('--no-experimental-wasm-relaxed-simd'));
    expect(WebAssembly.validate(bytesFromBase64(RELAXED) as Uint8Array<ArrayBuffer>)).toBe(true);
    let differing = 0;
    for (const [m, k, n, transposeA] of [[67, 513, 516, false], [130, 300, 12, true], [7, 5, 12, false]] as const) {
      const products = [false, true].map((fused) => {
        const kernels = new WasmKernels(1, fused);
        expect(kernels.fused).toBe(fused);
        const a = filled(kernels, transposeA ? k : m, transposeA ? m : k, 1);
        const b = filled(kernels, k, n, 3);
        const c = kernels.matrix(m, n);
        kernels.matmul(c, a.matrix, b.matrix, { transposeA });
        return rowsOf(kernels, c);
      });
      // Sums of up to 513 products of values in [−1, 1]: a rounding fewer per term moves them by a few float32 ulps of the terms.
      products[1].forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - products[0][r][c]), `[${r}, ${c}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(products[0][r][c])))));
      const plain = products[0].flat();
      differing += products[1].flat().filter((v, i) => v !== plain[i]).length;
    }
    console.info(`fused against plain products: ${differing} entries differ in their last bits (0 where the CPU has no FMA)`);
    const { x, y } = referenceData(CANONICAL_POINTS);
    const [xs, ys] = [tf.tensor2d(x, [x.length, 1]), tf.tensor2d(y, [y.length, 1])];
    const losses = [false, true].map((fused) => {
      const step = new CpuStep(referenceParams(CANONICAL_WIDTH), 'tanh', { optimizer: 'adam', lr: REFERENCE_LR }, xs, ys, { fused });
      for (let i = 0; i < 300; i++) step.step(i);
      const out = step.predict(xs);
      const loss = (out.dataSync() as Float32Array).reduce((sum, h, i) => sum + (h - y[i]) ** 2, 0) / y.length;
      tf.dispose(out);
      step.dispose();
      return loss;
    });
    tf.dispose([xs, ys]);
    console.info(`canonical run, 300 steps: loss ${losses[0].toExponential(6)} plain, ${losses[1].toExponential(6)} fused`);
    expect(Math.abs(losses[1] - losses[0]) / losses[0]).toBeLessThan(1e-4);
  });
});
