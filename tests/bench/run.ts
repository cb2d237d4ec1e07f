/**
 * npm run bench: steps per second of the canonical F-Principle network (1-200-200-100-1 tanh, 61 points,
 * Adam, full batch) on every backend in Node and in headless Chromium, and PyTorch CPU (one thread) as the
 * reference when Debian's python3-torch is present; then the CPU step against PyTorch at larger sizes.
 * All figures come from this one run; ratios are to PyTorch. `npm run bench -- --sizes`: the size table alone;
 * `npm run bench -- --smoothness`: the page's longest tasks in wall-clock time while it trains (the full bench prints it too).
 * `npm run bench -- --long [steps]`: the memory over a long run alone (10⁵ steps unless given; the full bench ends with it);
 * `--fused`, `--models`, `--threads`: fused multiply-adds against plain, the models moved off the tape, two threads against one.
 * `npm run bench -- --collapse`: the neural-collapse page's run against the same run in PyTorch (collapse.ts).
 * `npm run bench -- --anchor`: the anchor page's transformer against the same model in PyTorch (anchor.ts).
 */
import { selectBackend, type BackendName } from '../../src/core/backend';
import { TwoLayerBatch } from '../../src/core/models/twoLayerBatch';
import { initScales } from '../../src/phenomena/phase-diagram/diagram';
import * as tf from '@tensorflow/tfjs';
import { canonicalConfig, experimentFile, startRun } from '../support/engine';
import { applyAssignments } from '../../src/core/config/overrides';
import { parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe, launchChromium, openPage, serveDev, waitForStatus } from '../support/browser';
import type { WebGpuProbe } from './webgpu/probe';
import { hasRelaxedSimd, lanes, WasmKernels } from '../../src/core/train/wasmKernels';
import { CpuStep } from '../../src/core/train/cpuStep';
import { chooseStepper, type TrainSettings } from '../../src/core/train/stepper';
import { Mlp } from '../../src/core/models/mlp';
import { initParams, mlpFromNamed, mlpToNamed, type MlpSpec } from '../../src/core/models/mlpSpec';
import { softmaxCrossEntropy } from '../../src/core/objectives/crossEntropy';
import { CANONICAL_POINTS, CANONICAL_WIDTH, REFERENCE_LR, referenceData, referenceParams, referenceSizes } from './reference';
import { TorchReference } from './torchReference';
import { anchorAgainstPyTorch } from './anchor';
import { collapseAgainstPyTorch } from './collapse';
import { sharpnessProbe } from '../../src/core/probes/sharpness';
import type { FitInfo } from '../../src/phenomena/fit/info';
import { fitNetwork } from '../../src/phenomena/fit/network';
import { lossSpike } from '../../src/phenomena/loss-spike';
import os from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Node 20 has relaxed SIMD behind a flag (Chromium and Node ≥ 22 without): on, so the CPU step runs as in the browser, fused.
setFlagsFromString('--experimental-wasm-relaxed-simd');

interface Row {
  where: string;
  backend: string;
  stepsPerSecond: number;
  note?: string;
}

const rows: Row[] = [];

/** `tape`: train through tfjs' gradient tape and optimizer (the path before the CPU step), for before/after. */
async function nodeBackend(name: BackendName, steps: number, tape = false): Promise<void> {
  const report = await selectBackend(name).catch((error: Error) => ({ name: null, reason: error.message }));
  if (report.name !== name) {
    rows.push({ where: 'node', backend: name, stepsPerSecond: Number.NaN, note: `unavailable: ${report.reason}` });
    return;
  }
  const session = await startRun(canonicalConfig(`train.steps=${steps + 10}`), { tape });
  await session.advance(10); // warm-up: kernels, allocations
  const start = performance.now();
  await session.advance(steps); // one snapshot read-back at the end, as in the app
  const stepsPerSecond = steps / ((performance.now() - start) / 1000);
  rows.push({ where: 'node', backend: `${name} (${session.trainingPath})`, stepsPerSecond, note: name === 'wasm' && !tape ? `${((100 * stepsPerSecond) / matmulLimits().ours).toFixed(0)} % of the matmul limit` : undefined });
  session.dispose();
}

const CANONICAL_SIZES = referenceSizes(CANONICAL_WIDTH);
const CANONICAL_SAMPLES = CANONICAL_POINTS;

/** Rounds of `run` per second, after a warm-up. */
function roundsPerSecond(run: () => void): number {
  for (let i = 0; i < 20; i++) run();
  const rounds = 300;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) run();
  return rounds / ((performance.now() - start) / 1000);
}

/**
 * Steps/s if a step were nothing but its matrix products: the canonical network's 4 forward, 4 weight-gradient
 * and 3 input-gradient products, by our kernels in the CPU step's layout, and by tfjs-wasm as plain
 * (untransposed) multiplications.
 */
const matmulLimits = (() => {
  let limits: { ours: number; tfjs: number } | null = null;
  return () => (limits ??= { ours: oursMatmulLimit(), tfjs: tfjsMatmulLimit() });
})();

/**
 * A step's matrix products in the CPU step's layout, by our kernels: per layer the forward product, the weights'
 * gradient and (past the first) the input's; `shapes` as [m, k, n, transposeA] for PyTorch to repeat.
 */
function stepProducts(kernels: WasmKernels, sizes: readonly number[], samples: number): { products: (() => void)[]; shapes: [number, number, number, boolean][] } {
  const columns = lanes(samples);
  const products: (() => void)[] = [];
  const shapes: [number, number, number, boolean][] = [];
  sizes.slice(1).forEach((fanOut, i) => {
    const fanIn = sizes[i];
    const [weights, input, delta, inputTransposed] = [kernels.matrix(fanOut, fanIn), kernels.matrix(fanIn, columns), kernels.matrix(fanOut, columns), kernels.matrix(columns, fanIn)];
    [weights, input, delta, inputTransposed].forEach((matrix) => kernels.viewOf(matrix).fill(0.5));
    products.push(() => kernels.matmul(delta, weights, input), () => kernels.matmul(weights, delta, inputTransposed));
    shapes.push([fanOut, fanIn, samples, false], [fanOut, samples, fanIn, false]);
    if (i > 0) {
      products.push(() => kernels.matmul(input, weights, delta, { transposeA: true }));
      shapes.push([fanIn, fanOut, samples, true]);
    }
  });
  return { products, shapes };
}

function oursMatmulLimit(): number {
  const { products } = stepProducts(new WasmKernels(), CANONICAL_SIZES, CANONICAL_SAMPLES);
  return roundsPerSecond(() => products.forEach((product) => product()));
}

/**
 * The step's products alone at every size, ours against PyTorch's (torch.mm on its BLAS), one thread, in GFLOP/s
 * per CPU-second, alternating within each of ROUNDS rounds, medians; and our share of the 128-bit roofline: four
 * float32 lanes, at most two fused multiply-adds a cycle, 16 flop a cycle at the clock /proc/cpuinfo gives (a
 * virtual machine's nominal clock; turbo may exceed it). OpenBLAS' AVX-512 has 16 lanes: 64 flop a cycle.
 */
async function productsAgainstPyTorch(torch: TorchReference): Promise<void> {
  const megahertz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? Number.NaN);
  const roofline = (16 * megahertz) / 1000;
  console.log(`\nThe step's matrix products alone, one thread, GFLOP/s per CPU-second (medians of ${ROUNDS} interleaved rounds; load average ${os.loadavg()[0].toFixed(1)}),`);
  console.log(`against ${torch.describe()}; 128-bit roofline ${roofline.toFixed(1)} GFLOP/s (16 flop/cycle at ${megahertz} MHz), AVX-512's ${(4 * roofline).toFixed(1)}:\n`);
  console.log(`${'width × points'.padEnd(16)}${'ours'.padStart(8)}${'PyTorch'.padStart(10)}${'ratio'.padStart(8)}${'of 128-bit'.padStart(12)}`);
  for (const [width, points] of SIZES) {
    const kernels = new WasmKernels();
    const { products, shapes } = stepProducts(kernels, referenceSizes(width), points);
    const flops = shapes.reduce((sum, [m, k, n]) => sum + 2 * m * k * n, 0);
    const cpuSeconds = (run: () => void) => {
      const start = process.cpuUsage();
      run();
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1e6;
    };
    const once = cpuSeconds(() => products.forEach((product) => product()));
    const rounds = Math.max(2, Math.round(CHUNK_SECONDS / once));
    await torch.products(shapes, 1); // its warm-up
    const [ours, theirs]: number[][] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      const contenders = [
        () => ours.push((rounds * flops) / 1e9 / cpuSeconds(() => Array.from({ length: rounds }, () => products.forEach((product) => product())))),
        async () => theirs.push((rounds * flops) / 1e9 / (await torch.products(shapes, rounds)).cpuSeconds),
      ];
      for (const run of round % 2 ? contenders.toReversed() : contenders) await run();
    }
    const [a, b] = [median(ours), median(theirs)];
    console.log(`${`${width} × ${points}`.padEnd(16)}${a.toFixed(1).padStart(8)}${b.toFixed(1).padStart(10)}${(a / b).toFixed(2).padStart(8)}${`${((100 * a) / roofline).toFixed(0)} %`.padStart(12)}`);
  }
}

function tfjsMatmulLimit(): number {
  const products = CANONICAL_SIZES.slice(1).flatMap((fanOut, i) => {
    const fanIn = CANONICAL_SIZES[i];
    const list: [tf.Tensor2D, tf.Tensor2D][] = [
      [tf.randomNormal([CANONICAL_SAMPLES, fanIn]), tf.randomNormal([fanIn, fanOut])],
      [tf.randomNormal([fanIn, CANONICAL_SAMPLES]), tf.randomNormal([CANONICAL_SAMPLES, fanOut])],
    ];
    if (i > 0) list.push([tf.randomNormal([fanIn, fanOut]), tf.randomNormal([fanOut, CANONICAL_SAMPLES])]);
    return list;
  });
  const rate = roundsPerSecond(() => products.forEach(([a, b]) => tf.matMul(a, b).dispose()));
  tf.dispose(products.flat());
  return rate;
}

const EVERY = 25;

/** Serves the page without the cross-origin isolation headers, so WASM runs single-threaded. */
async function withoutIsolation(page: Page): Promise<void> {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

/**
 * The app itself: play for `seconds` and count steps (worker, a snapshot every EVERY steps, charts drawing) on each
 * backend, WASM once multi-threaded (the served page is cross-origin isolated) and once not; returns the time to
 * phenomenon.
 */
async function browserBackends(seconds: number): Promise<number> {
  const served = await buildAndServe();
  const browser = await launchChromium();
  try {
    const runs = [
      { name: 'webgpu', isolated: true },
      { name: 'webgl', isolated: true },
      { name: 'wasm', isolated: true },
      { name: 'wasm', isolated: false },
      { name: 'cpu', isolated: true },
    ] as const;
    for (const { name, isolated } of runs) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      if (!isolated) await withoutIsolation(page);
      await page.goto(`${served.url}?backend=${name}&every=${EVERY}&steps=1000000#/frequency-principle`);
      await waitForStatus(page, 'paused', 120_000);
      const actual = await page.textContent('[data-testid=backend] strong');
      const threads = name === 'wasm' ? (/multi-threaded/.test((await page.textContent('[data-testid=backend]')) ?? '') ? ' (threads)' : ' (1 thread)') : '';
      const readStep = async () => Number(await page.textContent('[data-testid=step]'));
      const nextSnapshot = async (after: number) =>
        page.waitForFunction((prev) => Number(document.querySelector('[data-testid=step]')?.textContent) > prev, after, { timeout: 180_000 });
      await page.keyboard.press('Space');
      await nextSnapshot(0);
      const step0 = await readStep();
      const t0 = performance.now();
      // At least `seconds`, ending on a snapshot's arrival so slow backends are timed over whole chunks.
      await page.waitForTimeout(seconds * 1000);
      await nextSnapshot(await readStep());
      const elapsed = (performance.now() - t0) / 1000;
      const step1 = await readStep();
      rows.push({ where: 'chromium', backend: `${name}${threads}`, stepsPerSecond: (step1 - step0) / elapsed, note: actual === name ? undefined : `fell back to ${actual}` });
      await page.close();
    }
    return await secondsToPhenomenon(browser, served.url);
  } finally {
    await browser.close();
    await served.close();
  }
}

/** Dispatches per canonical step on WebGPU, through tfjs' tape and Adam and by ours (bench page under tests/bench/webgpu). */
async function webgpuDispatches(): Promise<{ tfjs: WebGpuProbe; ours: WebGpuProbe } | null> {
  const served = await serveDev();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.goto(`${served.url}tests/bench/webgpu/index.html`);
      if (await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 }).then(() => true, () => false)) break;
    }
    const probe = (tape: boolean) => page.evaluate((t) => (window as unknown as { measure: (steps: number, tape: boolean) => Promise<WebGpuProbe> }).measure(10, t), tape);
    const [tfjs, ours] = [await probe(true), await probe(false)];
    return tfjs.backend === 'webgpu' ? { tfjs, ours } : null;
  } finally {
    await browser.close();
    await served.close();
  }
}

/**
 * Seconds from opening the F-Principle page (canonical config, WASM) to the first snapshot where the lowest
 * peak is learned (Δ_F < 0.1) while the highest is still far off (Δ_F > 0.5), as a student would see it.
 */
async function secondsToPhenomenon(browser: Browser, url: string): Promise<number> {
  const start = performance.now();
  const { page } = await openPage(browser, `${url}?backend=wasm#/frequency-principle`);
  await waitForStatus(page, 'paused', 120_000);
  await page.keyboard.press('Space');
  await page.waitForFunction(
    () => {
      // No named helper here: tsx would wrap it in a __name call the page does not have.
      const [low, high] = [1, 5].map((k) => Number(document.querySelector(`[data-testid=learned-${k}]`)?.getAttribute('data-rel-error') ?? Number.NaN));
      return low < 0.1 && high > 0.5;
    },
    null,
    { timeout: 120_000, polling: 10 },
  );
  const seconds = (performance.now() - start) / 1000;
  await page.close();
  return seconds;
}

/** Steps/s of 64 two-layer networks of width 1000 trained as one batched program, and one after another. */
async function batchedAgainstSeparate(steps: number): Promise<{ batched: number; separate: number }> {
  await selectBackend('wasm');
  const x = [-4, -2, 0, 2, 4];
  const y = x.map(Math.sin);
  const scales = Array.from({ length: 64 }, (_, i) => initScales(0.25 + (1.75 * i) / 63, 0, 1000));
  const spec = { x, y, width: 1000, seed: 1, eta0: 0.5, lossTarget: 0 };
  const time = async (batches: TwoLayerBatch[]) => {
    batches.forEach((b) => b.train(2)); // warm-up
    await Promise.all(batches.map((b) => b.state()));
    const start = performance.now();
    for (const b of batches) {
      b.train(steps);
      await b.state();
    }
    const seconds = (performance.now() - start) / 1000;
    batches.forEach((b) => b.dispose());
    return steps / seconds;
  };
  const batched = await time([new TwoLayerBatch({ ...spec, scales })]);
  const separate = await time(scales.map((scale) => new TwoLayerBatch({ ...spec, scales: [scale] })));
  return { batched, separate };
}

/** Network widths × points of the size table (issue 21); 200 × 61 is the canonical network. */
const SIZES = [[50, 61], [200, 61], [800, 61], [200, 1000], [200, 4096], [800, 1000]] as const;
const ROUNDS = 5;
const THREADS = 2;
const MODEL_ROUNDS = 3;
/** CPU seconds each contender trains per size and round. */
const CHUNK_SECONDS = 0.3;

const median = (values: number[]): number => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

/** Floating-point operations of a step's products: forward, weight gradient, and input gradient past the first layer. */
function productFlops(width: number, points: number): number {
  const sizes = referenceSizes(width);
  return sizes.slice(1).reduce((sum, fanOut, i) => sum + 2 * sizes[i] * fanOut * points * (i === 0 ? 2 : 3), 0);
}

/**
 * The CPU step against PyTorch on one thread, in steps per CPU-second (what another process' load on a shared
 * machine changes least): the contenders alternate within each round, first one then the other, and each
 * figure is the median over the rounds.
 */
async function againstPyTorchBySize(torch: TorchReference): Promise<void> {
  await selectBackend('wasm'); // where the app runs the CPU step; tfjs only holds the data here
  const table = [];
  for (const [width, points] of SIZES) {
    const { x, y } = referenceData(points);
    const [xs, ys] = [tf.tensor2d(x, [points, 1]), tf.tensor2d(y, [points, 1])];
    const step = new CpuStep(referenceParams(width), 'tanh', { optimizer: 'adam', lr: REFERENCE_LR }, xs, ys);
    const cpuSeconds = (run: () => void) => {
      const start = process.cpuUsage();
      run();
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1e6;
    };
    const warmUp = cpuSeconds(() => [0, 1, 2, 3, 4].forEach((i) => step.step(i))) / 5;
    await torch.train(width, points, 1); // its warm-up
    const steps = Math.max(2, Math.round(CHUNK_SECONDS / warmUp));
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const contenders = [
        () => ours.push(steps / cpuSeconds(() => Array.from({ length: steps }, (_, i) => step.step(i)))),
        async () => theirs.push(steps / (await torch.train(width, points, steps)).cpuSeconds),
      ];
      for (const run of round % 2 ? contenders.toReversed() : contenders) await run();
    }
    tf.dispose([xs, ys]);
    table.push({ width, points, ours: median(ours), torch: median(theirs), gflops: (median(ours) * productFlops(width, points)) / 1e9 });
  }
  console.log(`\nCPU step against ${torch.describe()}: networks 1-w-w-(w/2)-1 tanh, Adam, full batch (reference.ts),`);
  console.log(`steps per CPU-second, medians of ${ROUNDS} interleaved rounds:\n`);
  console.log(`${'width × points'.padEnd(16)}${'ours'.padStart(10)}${'PyTorch'.padStart(10)}${torch.ratioHeading.padStart(20)}${'ours GFLOP/s'.padStart(15)}`);
  for (const row of table) {
    console.log(`${`${row.width} × ${row.points}`.padEnd(16)}${row.ours.toFixed(1).padStart(10)}${row.torch.toFixed(1).padStart(10)}${(row.ours / row.torch).toFixed(2).padStart(20)}${row.gflops.toFixed(1).padStart(15)}`);
  }
  console.log('(GFLOP/s: the step\'s matrix products only, at the steps/s measured)');
}

/**
 * The loss-spike page's curvature probe (λ_max by warm-started power iteration and gᵀHg/‖g‖², float64) against
 * a plain gradient step of its network (node, wasm): both timed on the same run, the probe on the weights every
 * 2 steps, as the page measures them.
 */
async function sharpnessCost(): Promise<void> {
  await selectBackend('wasm');
  const config = parseFor(lossSpike, applyAssignments(experimentFile('loss-spike.json'), ['train.steps=1000', 'train.snapshotEvery=1000']));
  const session = await startRun(config);
  await session.advance(10);
  let start = performance.now();
  await session.advance(400);
  const stepsPerSecond = 400 / ((performance.now() - start) / 1000);
  const probe = sharpnessProbe(fitNetwork(config));
  const context = { info: session.info as FitInfo, initial: () => new Float32Array(0), shared: <T>(_: string, make: () => T) => make() };
  let [seconds, iterations, measured] = [0, 0, 0];
  for (let step = 412; step <= 600; step += 2) {
    await session.advance(2);
    const values = Object.fromEntries((await session.readParams()).map((p) => [p.name, p.values]));
    start = performance.now();
    iterations += probe.compute(values, { ...context, step }).iterations;
    seconds += (performance.now() - start) / 1000;
    measured++;
  }
  session.dispose();
  const perSecond = measured / seconds;
  console.log(
    `\nLoss-spike curvature probe (1-50-50-1 tanh, 40 points; node, wasm): ${stepsPerSecond.toFixed(0)} plain gradient steps/s, ` +
      `${perSecond.toFixed(1)} λ_max measurements/s (${(iterations / measured).toFixed(1)} power iterations each, warm-started every 2 steps): ` +
      `one measurement costs ${(stepsPerSecond / perSecond).toFixed(1)} steps; measured every 2 steps, training runs at ${((100 * perSecond) / (perSecond + stepsPerSecond / 2)).toFixed(0)} % of its plain speed`,
  );
}

if (process.argv.includes('--collapse')) {
  await collapseAgainstPyTorch();
  process.exit(0);
}
if (process.argv.includes('--anchor')) {
  await anchorAgainstPyTorch();
  process.exit(0);
}
if (process.argv.includes('--sharpness')) {
  await sharpnessCost();
  process.exit(0);
}
/**
 * Memory over a long run: a small network (1-8-8-1) trained `steps` steps on a path, the tensor count, tfjs'
 * bytes, the JS heap and the process' resident set read every tenth of the way. Flat means nothing leaks per
 * step or per snapshot (the test suite checks the tensor count over fewer steps).
 */
async function longRun(path: 'cpu-step' | 'tape', steps: number): Promise<string> {
  await selectBackend('wasm');
  const every = steps / 100;
  const session = await startRun(canonicalConfig('model.widths=[8,8]', `train.steps=${steps}`, `train.snapshotEvery=${every}`), { tape: path === 'tape' });
  const read = () => ({ step: session.step, tensors: tf.memory().numTensors, tfBytes: tf.memory().numBytes, heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
  await session.advance(every);
  const samples = [read()];
  const start = performance.now();
  while (!session.finished) {
    await session.advance(every);
    if (session.step % (steps / 10) === 0) samples.push(read());
  }
  const seconds = (performance.now() - start) / 1000;
  session.dispose();
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const [first, last] = [samples[0], samples[samples.length - 1]];
  const range = (key: 'heap' | 'rss') => `${mb(Math.min(...samples.map((s) => s[key])))}–${mb(Math.max(...samples.map((s) => s[key])))}`;
  return (
    `${path.padEnd(9)} ${steps} steps in ${seconds.toFixed(0)} s: tensors ${first.tensors} → ${last.tensors} (every ${steps / 10} steps: ${samples.map((s) => s.tensors).join(', ')}), ` +
    `tfjs bytes ${first.tfBytes} → ${last.tfBytes}, JS heap ${mb(first.heap)} → ${mb(last.heap)} (${range('heap')}), resident ${mb(first.rss)} → ${mb(last.rss)} (${range('rss')})`
  );
}

/**
 * The page's smoothness in wall-clock time (the browser test measures it in the page thread's own CPU time, which
 * other work on the machine does not lengthen): the F-Principle page on WASM playing at full speed for `seconds`,
 * its tasks over 50 ms as the Long Tasks API reports them, read beside the machine's load average.
 */
async function pageSmoothness(seconds: number): Promise<string> {
  const served = await buildAndServe();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${served.url}?backend=wasm&every=20&steps=1000000#/frequency-principle`);
    await waitForStatus(page, 'paused', 120_000);
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => w.longTasks.push(entry.duration))).observe({ type: 'longtask' });
    });
    const start = Number(await page.textContent('[data-testid=step]'));
    await page.keyboard.press('Space');
    await page.waitForTimeout(seconds * 1000);
    const tasks = (await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)).sort((a, b) => a - b);
    const steps = Number(await page.textContent('[data-testid=step]')) - start;
    const longest = tasks.length ? `the longest ${tasks[tasks.length - 1].toFixed(0)} ms, the median ${tasks[Math.floor(tasks.length / 2)].toFixed(0)} ms` : 'none';
    return `Page smoothness in wall-clock time (Chromium, wasm, the F-Principle page at full speed for ${seconds} s, ${steps} steps, a snapshot every 20; load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores): ${tasks.length} tasks of the page's thread over 50 ms, ${longest}`;
  } finally {
    await browser.close();
    await served.close();
  }
}

if (process.argv.includes('--smoothness')) {
  console.log(`\n${await pageSmoothness(20)}`);
  process.exit(0);
}

if (process.argv.includes('--long')) {
  const steps = Number(process.argv[process.argv.indexOf('--long') + 1]) || 100_000;
  console.log(`\nMemory over a long run (1-8-8-1 tanh, node, wasm), from the first snapshot to the last:\n`);
  for (const path of ['cpu-step', 'tape'] as const) console.log(await longRun(path, steps));
  process.exit(0);
}

/** CPU time so far (ms) of each thread of this process, by thread id, from /proc (Linux); null elsewhere. */
function threadTimes(): Map<string, number> | null {
  if (!existsSync('/proc/self/task')) return null;
  const ticks = 1000 / 100; // USER_HZ: 100 on Linux
  const times = new Map<string, number>();
  for (const id of readdirSync('/proc/self/task')) {
    // utime and stime, the 14th and 15th fields, counted after the parenthesized name.
    const fields = readFileSync(`/proc/self/task/${id}/stat`, 'utf8').split(') ')[1].split(' ');
    times.set(id, (Number(fields[11]) + Number(fields[12])) * ticks);
  }
  return times;
}

/**
 * The CPU step on two threads against one (wall-clock steps/s: threads spend more CPU time to take less wall
 * time), at the large sizes, the two alternating within each round; medians. The machine's other load shows
 * in both, and more in the threaded figure, which needs both cores at once. Beside it, where /proc tells, each
 * thread's CPU a step and the threads' meetings a step: one thread's CPU over the main thread's on two is what
 * an idle machine would give, less the meetings' wake-ups (what another load delays).
 */
async function threadsAgainstOne(): Promise<void> {
  await selectBackend('wasm');
  console.log(`\nThe CPU step on ${THREADS} threads against one (wall-clock steps/s, medians of ${ROUNDS} interleaved rounds; ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}),`);
  console.log(`with CPU ms a step (one thread; on ${THREADS}, the main thread + the busiest helper) and the threads' meetings a step:\n`);
  console.log(`${'width × points'.padEnd(16)}${'1 thread'.padStart(10)}${`${THREADS} threads`.padStart(12)}${'ratio'.padStart(8)}${'CPU 1'.padStart(8)}${`CPU ${THREADS}`.padStart(14)}${'1 ÷ main'.padStart(10)}${'meetings'.padStart(10)}`);
  for (const [width, points] of [[800, 1000], [200, 4096]] as const) {
    const { x, y } = referenceData(points);
    const [xs, ys] = [tf.tensor2d(x, [points, 1]), tf.tensor2d(y, [points, 1])];
    const steps = [1, THREADS].map((threads) => new CpuStep(referenceParams(width), 'tanh', { optimizer: 'adam', lr: REFERENCE_LR }, xs, ys, { threads }));
    const kernelsReady = async (step: CpuStep) => {
      for (let waited = 0; !step.threaded && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await kernelsReady(steps[1]);
    const rates: number[][] = [[], []];
    // Per round: the main thread's CPU a step and the busiest other thread's (the helper).
    const cpu: [number, number][][] = [[], []];
    const chunk = (step: CpuStep, count: number) => {
      const before = threadTimes();
      const start = performance.now();
      for (let i = 0; i < count; i++) step.step(i);
      const rate = count / ((performance.now() - start) / 1000);
      const after = threadTimes();
      if (before && after) {
        const spent = [...after].map(([id, ms]) => [id, (ms - (before.get(id) ?? 0)) / count] as const);
        const main = spent.find(([id]) => id === String(process.pid))?.[1] ?? 0;
        cpu[steps.indexOf(step)].push([main, Math.max(0, ...spent.filter(([id]) => id !== String(process.pid)).map(([, ms]) => ms))]);
      }
      return rate;
    };
    const count = Math.max(2, Math.round(CHUNK_SECONDS * 3 * chunk(steps[0], 2)));
    cpu[0].length = 0;
    const meetings = steps[1].meetings;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [1, 0] : [0, 1];
      for (const i of order) rates[i].push(chunk(steps[i], count));
    }
    const [one, many] = rates.map(median);
    const perStep = (steps[1].meetings - meetings) / (ROUNDS * count);
    const [cpuOne, cpuMain, cpuHelper] = cpu[0].length ? [median(cpu[0].map(([main]) => main)), ...[0, 1].map((i) => median(cpu[1].map((pair) => pair[i])))] : [NaN, NaN, NaN];
    console.log(
      `${`${width} × ${points}`.padEnd(16)}${one.toFixed(2).padStart(10)}${many.toFixed(2).padStart(12)}${(many / one).toFixed(2).padStart(8)}` +
        `${cpuOne.toFixed(0).padStart(8)}${`${cpuMain.toFixed(0)} + ${cpuHelper.toFixed(0)}`.padStart(14)}${(cpuOne / cpuMain).toFixed(2).padStart(10)}${perStep.toFixed(1).padStart(10)}`,
    );
    steps.forEach((step) => step.dispose());
    tf.dispose([xs, ys]);
  }
}

/** A model trained on the tape and on the CPU step: each trains `count` steps; `dispose` frees both. */
interface BeforeAfter {
  name: string;
  tapeSteps: number;
  train: [(count: number) => Promise<unknown>, (count: number) => Promise<unknown>];
  dispose(): void;
}

/** A fit page's model from its experiment file, as its run trains it on the tape and on the CPU step. */
async function fitModel(name: string, file: string, tapeSteps: number): Promise<BeforeAfter> {
  const config = parseFor(fprinciple1d, applyAssignments(experimentFile(file), ['train.steps=100000', 'train.snapshotEvery=100000']));
  const sessions = await Promise.all([true, false].map((tape) => startRun(config, { tape })));
  const paths = sessions.map((session) => session.trainingPath);
  if (paths.join() !== 'tape,cpu-step') throw new Error(`${file} trains on ${paths.join(' and ')}`);
  return { name, tapeSteps, train: [(count) => sessions[0].advance(count), (count) => sessions[1].advance(count)], dispose: () => sessions.forEach((s) => s.dispose()) };
}

/** A ReLU classifier on random data (speed does not depend on the values), softmax cross-entropy with weight decay, SGD with momentum: neural collapse's protocol. */
function classifier(name: string, spec: MlpSpec, points: number, tapeSteps: number): BeforeAfter {
  const initial = mlpToNamed(initParams(spec, 1));
  const xs = tf.randomNormal([points, spec.inputDim], 0, 1, 'float32', 3) as tf.Tensor2D;
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: points }, (_, i) => i % spec.outputDim), 'int32'), spec.outputDim).toFloat() as tf.Tensor2D;
  const train: TrainSettings = { optimizer: 'sgd', lr: 0.01, momentum: 0.9 };
  const runs = [true, false].map((tape) => {
    const model = new Mlp(spec, mlpFromNamed(initial) ?? [], 1);
    const objective = softmaxCrossEntropy(xs, ys, (x, step) => model.forward(x, { training: true, step }).output, { variables: model.variables, rate: 5e-4 }, { handWritten: true });
    return { model, stepper: chooseStepper(model, objective, train, initial, { tape }), step: 0 };
  });
  if (runs.map((r) => r.stepper.path).join() !== 'tape,cpu-step') throw new Error(`${name} trains on ${runs.map((r) => r.stepper.path).join(' and ')}`);
  const trainer = (run: (typeof runs)[number]) => (count: number) => {
    for (const end = run.step + count; run.step < end; run.step++) Array.from(run.stepper.stepInParts(run.step));
    // A read-back, as a snapshot would: the tape's work is done by then.
    return run.stepper.read();
  };
  return {
    name,
    tapeSteps,
    train: [trainer(runs[0]), trainer(runs[1])],
    dispose: () => {
      runs.forEach((r) => [r.stepper, r.model].forEach((x) => x.dispose()));
      tf.dispose([xs, ys]);
    },
  };
}

/**
 * The models the CPU step took over from the tape (MscaleDNN's scaled groups with sReLU, dropout, cross-entropy
 * classifiers), each on the tape (before) and on the CPU step (after), alternating within each round, in steps per
 * CPU-second (Node, wasm); medians.
 */
async function modelsBeforeAfter(): Promise<void> {
  await selectBackend('wasm');
  const models = [
    () => fitModel('MscaleDNN 1-120-120-1, 61 points', 'mscale.json', 10),
    () => fitModel('dropout 1-100-1, 5 points', 'condensation-dropout.json', 100),
    () => classifier('cross-entropy 32-64-64-4 ReLU, 200 points', { inputDim: 32, widths: [64, 64], outputDim: 4, activation: 'relu', init: { gamma: 0.5, scale: 1.4142 } }, 200, 50),
    () => classifier('cross-entropy 784-128-64-10 tanh, 500 points', { inputDim: 784, widths: [128, 64], outputDim: 10, activation: 'tanh', init: { gamma: 0.5, scale: 1 } }, 500, 10),
  ];
  const cpuSeconds = async (run: () => Promise<unknown>) => {
    const start = process.cpuUsage();
    await run();
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1e6;
  };
  console.log(`\nModels now on the CPU step (node, wasm), steps per CPU-second, medians of ${MODEL_ROUNDS} interleaved rounds:\n`);
  console.log(`${'model'.padEnd(48)}${'tape'.padStart(10)}${'CPU step'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const make of models) {
    const { name, tapeSteps, train, dispose } = await make();
    await Promise.all(train.map((run) => run(2)));
    // Chunks of a similar CPU time for both: the CPU step takes as many more steps as it is faster (from a first chunk).
    const counts: number[] = [tapeSteps, tapeSteps];
    const rates: number[][] = [[], []];
    for (let round = 0; round < MODEL_ROUNDS; round++) {
      for (const i of round % 2 ? [1, 0] : [0, 1]) {
        const rate = counts[i] / (await cpuSeconds(() => train[i](counts[i])));
        rates[i].push(rate);
        if (round === 0 && i === 1) counts[1] = Math.max(1, Math.round((tapeSteps * rate) / rates[0][0]));
      }
    }
    const [before, after] = rates.map(median);
    console.log(`${name.padEnd(48)}${before.toFixed(2).padStart(10)}${after.toFixed(2).padStart(10)}${(after / before).toFixed(1).padStart(8)}`);
    dispose();
  }
}

/**
 * The CPU step with relaxed SIMD's fused multiply-add in its product against without (the fallback), one thread,
 * alternating within each round, in steps per CPU-second; medians.
 */
async function fusedAgainstPlain(): Promise<void> {
  await selectBackend('wasm');
  if (!hasRelaxedSimd()) {
    console.log('\nRelaxed SIMD: not in this engine (Node 20 needs --experimental-wasm-relaxed-simd, which the bench sets)');
    return;
  }
  console.log(`\nThe CPU step with fused multiply-adds (relaxed SIMD) against without, one thread, steps per CPU-second, medians of ${ROUNDS} interleaved rounds:\n`);
  console.log(`${'width × points'.padEnd(16)}${'plain'.padStart(10)}${'fused'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const [width, points] of [[CANONICAL_WIDTH, CANONICAL_POINTS], [800, 1000], [200, 4096]] as const) {
    const { x, y } = referenceData(points);
    const [xs, ys] = [tf.tensor2d(x, [points, 1]), tf.tensor2d(y, [points, 1])];
    const steps = [false, true].map((fused) => new CpuStep(referenceParams(width), 'tanh', { optimizer: 'adam', lr: REFERENCE_LR }, xs, ys, { fused }));
    const chunk = (step: CpuStep, count: number) => {
      const start = process.cpuUsage();
      for (let i = 0; i < count; i++) step.step(i);
      const { user, system } = process.cpuUsage(start);
      return count / ((user + system) / 1e6);
    };
    const count = Math.max(2, Math.round(CHUNK_SECONDS * chunk(steps[0], 2)));
    const rates: number[][] = [[], []];
    for (let round = 0; round < ROUNDS; round++) for (const i of round % 2 ? [1, 0] : [0, 1]) rates[i].push(chunk(steps[i], count));
    const [plain, fused] = rates.map(median);
    console.log(`${`${width} × ${points}`.padEnd(16)}${plain.toFixed(1).padStart(10)}${fused.toFixed(1).padStart(10)}${(fused / plain).toFixed(2).padStart(8)}`);
    steps.forEach((step) => step.dispose());
    tf.dispose([xs, ys]);
  }
}

if (process.argv.includes('--threads') || process.argv.includes('--models') || process.argv.includes('--fused')) {
  if (process.argv.includes('--fused')) await fusedAgainstPlain();
  if (process.argv.includes('--models')) await modelsBeforeAfter();
  if (process.argv.includes('--threads')) await threadsAgainstOne();
  process.exit(0);
}
const torch = await TorchReference.start();
if (process.argv.includes('--products')) {
  if (!torch) throw new Error('the products table needs PyTorch: apt-get install -y python3-torch libopenblas0-pthread');
  await productsAgainstPyTorch(torch);
  torch.close();
  process.exit(0);
}
if (process.argv.includes('--sizes')) {
  if (!torch) throw new Error('the size table needs PyTorch: apt-get install -y python3-torch libopenblas0-pthread');
  await againstPyTorchBySize(torch);
  torch.close();
  process.exit(0);
}
const torchRate = torch ? 500 / (await torch.train(CANONICAL_SIZES[1], CANONICAL_SAMPLES, 500)).wallSeconds : null;
if (torchRate !== null) rows.push({ where: 'python', backend: 'pytorch-cpu-1-thread', stepsPerSecond: torchRate });
await nodeBackend('wasm', 300, true);
await nodeBackend('wasm', 3000);
await nodeBackend('cpu', 20, true);
await nodeBackend('cpu', 2000);
const timeToPhenomenon = await browserBackends(8);
const dispatches = await webgpuDispatches();
const sweep = await batchedAgainstSeparate(50);

console.log('\nCanonical F-Principle step (1-200-200-100-1 tanh, 61 points, Adam, full batch), one run:\n');
if (torch) console.log(`${torch.describe()}\n`);
console.log(`${'where'.padEnd(10)}${'backend'.padEnd(24)}${'steps/s'.padStart(10)}${(torch?.ratioHeading ?? '× PyTorch').padStart(20)}  note`);
for (const row of rows) {
  const ratio = torchRate ? (row.stepsPerSecond / torchRate).toFixed(2) : 'n/a';
  console.log(`${row.where.padEnd(10)}${row.backend.padEnd(24)}${row.stepsPerSecond.toFixed(1).padStart(10)}${ratio.padStart(20)}  ${row.note ?? ''}`);
}
if (torchRate === null) console.log('\nPyTorch reference not found: apt-get install -y python3-torch libopenblas0-pthread');
console.log(
  dispatches
    ? `\nWebGPU dispatches per canonical step: ${dispatches.tfjs.dispatchesPerStep} through tfjs' tape and Adam, ${dispatches.ours.dispatchesPerStep} by our gradients and Adam (gpuStep.ts, webgpuKernels.ts)` +
        ` (SwiftShader here, ${dispatches.tfjs.stepsPerSecond.toFixed(1)} and ${dispatches.ours.stepsPerSecond.toFixed(1)} steps/s: no GPU speed to read from it)`
    : '\nWebGPU dispatches: no WebGPU in this Chromium',
);
console.log(
  `\nMatmul limit (the step's 11 products alone): ${matmulLimits().ours.toFixed(0)} steps/s by our kernels (the CPU step's), ${matmulLimits().tfjs.toFixed(0)} by tfjs-wasm's. ` +
    'The app trains plain networks with the data loss by the CPU step on WASM/CPU and by the GPU step on WebGPU, others by the tape.',
);
console.log(
  `\nPhase-diagram trainer, 64 two-layer ReLU networks of width 1000 (node, wasm): one batched program ${sweep.batched.toFixed(1)} steps/s ` +
    `(all 64 networks), 64 separate runs ${sweep.separate.toFixed(1)} steps/s (all 64 networks): ${(sweep.batched / sweep.separate).toFixed(1)}× faster batched`,
);
await sharpnessCost();
await collapseAgainstPyTorch();
await anchorAgainstPyTorch();
console.log(`\n${await pageSmoothness(20)}`);
console.log(`\nTime to phenomenon (Chromium, wasm, canonical config): ${timeToPhenomenon.toFixed(1)} s from opening the page to Δ_F(k=1) < 0.1 with Δ_F(k=5) > 0.5`);
if (torch) {
  await againstPyTorchBySize(torch);
  await productsAgainstPyTorch(torch);
  torch.close();
}
await fusedAgainstPlain();
await modelsBeforeAfter();
await threadsAgainstOne();
console.log(`\nMemory over a long run (1-8-8-1 tanh, node, wasm), from the first snapshot to the last:\n`);
for (const path of ['cpu-step', 'tape'] as const) console.log(await longRun(path, 100_000));
