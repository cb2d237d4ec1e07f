/**
 * The training step on the CPU backends (WASM, CPU) without tfjs: forward, a hand-written backward and the
 * optimizer, all in our WebAssembly SIMD kernels (wasmKernels.ts) on one memory laid out once. For the canonical
 * network this is about 12× faster than tfjs' gradient tape, because (measured in tfjs-wasm, 61 samples):
 * - its matmul with a transposed operand (what the tape's matMul gradient calls) runs about 13× slower than a
 *   plain one, and XNNPACK repacks the right operand of every product whose operand is a new tensor;
 * - every op allocates its output, and the step is some 60 ops;
 * - its tanh is scalar (about 15 ns a value).
 * Our product reads either operand in place, activations are [features, samples] (samples padded to lanes of
 * four with zero gradient), and tanh is vectorized and accurate down to the tiny values of small
 * initializations. A test checks the loss curves agree with the tape's.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationName } from '../models/activations';
import { dropoutFactors, dropoutSeed } from '../models/mlp';
import type { LayerParams } from '../models/mlpSpec';
import { learningRateAt, type TrainSettings } from './stepper';
import { lanes, ParameterBlock, WasmKernels, type Matrix } from './wasmKernels';

/** Activations besides tanh, in place on z with their slopes (in JavaScript: only tanh is on the canonical path). */
const ELEMENTWISE: Partial<Record<ActivationName, (values: Float32Array, slopes: Float32Array) => void>> = {
  relu: (values, slopes) => {
    for (let i = 0; i < values.length; i++) {
      const positive = values[i] > 0;
      slopes[i] = positive ? 1 : 0;
      if (!positive) values[i] = 0;
    }
  },
  sigmoid: (values, slopes) => {
    for (let i = 0; i < values.length; i++) {
      const a = 1 / (1 + Math.exp(-values[i]));
      values[i] = a;
      slopes[i] = a * (1 - a);
    }
  },
  sin: (values, slopes) => {
    for (let i = 0; i < values.length; i++) {
      slopes[i] = Math.cos(values[i]);
      values[i] = Math.sin(values[i]);
    }
  },
  // MscaleDNN's: ReLU(z)·ReLU(1 − z), with the tape's roundings (1 − z and the product in float32; the product of
  // two floats is exact in double, so storing it rounds once, as float32 multiplication does) and its slope
  // ReLU′(z)·ReLU(1 − z) − ReLU(z)·ReLU′(1 − z), which is 0 at both ends.
  srelu: (values, slopes) => {
    for (let i = 0; i < values.length; i++) {
      const [z, r] = [values[i], Math.fround(1 - values[i])];
      const inside = z > 0 && r > 0;
      slopes[i] = inside ? r - z : 0;
      values[i] = inside ? z * r : 0;
    }
  },
  // sin(2πz)·sReLU(z).
  s2relu: (values, slopes) => {
    for (let i = 0; i < values.length; i++) {
      const [z, r] = [values[i], Math.fround(1 - values[i])];
      const inside = z > 0 && r > 0;
      const angle = Math.fround(2 * Math.PI * z);
      const [sine, s] = [Math.sin(angle), z * r];
      slopes[i] = inside ? 2 * Math.PI * Math.cos(angle) * s + sine * (r - z) : 0;
      values[i] = inside ? sine * s : 0;
    }
  },
};

const CPU_STEP_BACKENDS = ['wasm', 'cpu'];
/** Predictions go through the network this many samples at a time, which bounds the memory they take. */
const PREDICT_CHUNK = 1024;
/**
 * A product of more multiply-adds than this (a few milliseconds on one thread) is computed in parts, between which
 * a step can give way (a pause while a step of a huge network is under way). A part is a range of the sums' terms
 * (whole slices of the kernels' 256) over every row and as many columns as fit (rows too only where a few columns
 * of them exceed it): the kernels pack the right operand's slice of the part's columns once per part and per
 * thread. Parts of 40 rows and every column (the first version's) repacked the whole right operand for every 10
 * strips of 4 rows, on two threads for every 5. Neither rows, columns nor ranges change a sum (kernels.wat), so
 * the parts change no result. The canonical network's products are far smaller.
 */
const PART_WORK = 1 << 26;
/** The kernels' slice of the sums' terms (kernels.wat's 256): a part's range of terms is whole slices. */
const K_SLICE = 256;

/** Whether an MLP with this activation can take the CPU step (with or without dropout and input scales) on the current backend. */
export function cpuStepApplies(activation: ActivationName): boolean {
  return (activation === 'tanh' || activation in ELEMENTWISE) && CPU_STEP_BACKENDS.includes(tf.getBackend());
}

/** What the step trains besides a plain MLP, and on how many threads. */
export interface CpuStepOptions {
  /** Threads for the large products (1 by default; see threads.ts). */
  threads?: number;
  /** Dropout on every hidden layer's output while training, with masks drawn as the model draws them (Mlp.runSeed). */
  dropout?: { rate: number; runSeed: number };
  /** MscaleDNN: each first-layer neuron's input scale (its product x·W is scaled, its bias not). */
  inputScales?: Float32Array;
  /** The loss: mean squared error (by default), or softmax cross-entropy of the outputs as logits to one-hot targets. */
  loss?: 'mse' | 'softmax-cross-entropy';
  /** Weight decay λ: (λ/2)·‖θ‖² over every parameter, biases included, is added to the loss (its gradient λθ). */
  weightDecay?: number;
  /** Fused multiply-adds in the products (relaxed SIMD); by default where the engine has them (WasmKernels). */
  fused?: boolean;
}

/**
 * One operation of a step, made once: the step runs the same list every time, allocating nothing. `turn`: a part
 * of a product that more parts follow, after which the step may give way.
 */
interface Operation {
  run(): void;
  turn?: boolean;
}

/** A layer's parameters in the block: weights transposed ([fanOut, fanIn], rows padded to lanes), then the bias. */
interface Layer {
  weights: Matrix;
  bias: number;
}

/**
 * A forward pass's arrays for some number of samples, all [features, columns] with columns = samples padded to
 * lanes: the layers' inputs (the data, each hidden layer's activations, then the output) and the hidden layers'
 * slopes σ′(z).
 */
interface ForwardArrays {
  samples: number;
  inputs: Matrix[];
  slopes: Matrix[];
}

/**
 * Training adds the targets, each layer's δ = ∂loss/∂z, each layer's input transposed (for its weights' gradient)
 * and, with dropout, each hidden layer's factors (0 or 1 / (1 − rate)).
 */
interface TrainingArrays extends ForwardArrays {
  targets: Matrix;
  dropoutFactors: Matrix[];
  deltas: Matrix[];
  inputsTransposed: Matrix[];
}

export class CpuStep {
  private readonly kernels: WasmKernels;
  private readonly block: ParameterBlock;
  private readonly layers: Layer[];
  private readonly training: TrainingArrays;
  /** The training step's operations, and the forward passes' of each prediction size. */
  private readonly program: Operation[];
  private readonly predicting = new Map<number, { arrays: ForwardArrays; program: Operation[] }>();
  /** The step under way (it seeds the dropout masks). */
  private index = 0;
  private readonly activateElementwise: ((values: Float32Array, slopes: Float32Array) => void) | null;
  /** The first layer's input scales in the kernels' memory (0: none). */
  private readonly inputScales: number = 0;

  constructor(
    start: readonly LayerParams[],
    activation: ActivationName,
    private readonly train: TrainSettings,
    xs: tf.Tensor2D,
    ys: tf.Tensor2D,
    private readonly extras: CpuStepOptions = {},
  ) {
    this.kernels = new WasmKernels(extras.threads, extras.fused);
    const elementwise = ELEMENTWISE[activation];
    if (activation !== 'tanh' && !elementwise) throw new Error(`the CPU step has no derivative of ${activation}`);
    this.activateElementwise = elementwise ?? null;
    this.block = new ParameterBlock(this.kernels, start.reduce((sum, p) => sum + p.fanOut * lanes(p.fanIn) + lanes(p.fanOut), 0));
    let offset = this.block.base;
    this.layers = start.map(({ fanIn, fanOut }) => {
      const weights = { offset, rows: fanOut, cols: fanIn, stride: lanes(fanIn) };
      offset += fanOut * weights.stride;
      const bias = offset;
      offset += lanes(fanOut);
      return { weights, bias };
    });
    this.load(start);
    if (extras.inputScales) {
      this.inputScales = this.kernels.allocate(extras.inputScales.length);
      this.kernels.view(this.inputScales, extras.inputScales.length).set(extras.inputScales);
    }

    const forward = this.forwardArrays(xs.shape[0]);
    this.setByFeature(forward.inputs[0], xs.dataSync());
    const columns = forward.inputs[0].cols;
    this.training = {
      ...forward,
      targets: this.kernels.matrix(ys.shape[1], columns),
      dropoutFactors: extras.dropout ? forward.slopes.map(({ rows }) => this.kernels.matrix(rows, columns)) : [],
      deltas: this.layers.map(({ weights }) => this.kernels.matrix(weights.rows, columns)),
      inputsTransposed: this.layers.map(({ weights }) => this.kernels.matrix(columns, weights.cols)),
    };
    this.setByFeature(this.training.targets, ys.dataSync());
    // The data's transpose is the first layer's, for every step.
    this.kernels.transpose(this.training.inputsTransposed[0], forward.inputs[0]);
    this.program = this.stepProgram();
  }

  private forwardArrays(samples: number): ForwardArrays {
    const columns = lanes(samples);
    const inputs = [this.kernels.matrix(this.layers[0].weights.cols, columns), ...this.layers.map(({ weights }) => this.kernels.matrix(weights.rows, columns))];
    return { samples, inputs, slopes: this.layers.slice(0, -1).map(({ weights }) => this.kernels.matrix(weights.rows, columns)) };
  }

  /** Writes [samples, features] values into a [features, columns] matrix (the padding columns stay zero). */
  private setByFeature(matrix: Matrix, values: ArrayLike<number>): void {
    const target = this.kernels.viewOf(matrix);
    const samples = values.length / matrix.rows;
    for (let s = 0; s < samples; s++) for (let f = 0; f < matrix.rows; f++) target[f * matrix.stride + s] = values[s * matrix.rows + f];
  }

  /** Large products run on several threads now (see WasmKernels.threaded). */
  get threaded(): boolean {
    return this.kernels.threaded;
  }

  /** How many times its threads have met so far (the bench counts them a step). */
  get meetings(): number {
    return this.kernels.meetings;
  }

  /** Ends the kernels' helper threads. */
  dispose(): void {
    this.kernels.dispose();
  }

  /** Sets the parameters (and clears the optimizer's state). */
  load(params: readonly LayerParams[]): void {
    const all = this.kernels.view(0, this.block.base + this.block.count);
    params.forEach((p, i) => {
      const { weights, bias } = this.layers[i];
      for (let r = 0; r < p.fanIn; r++) for (let c = 0; c < p.fanOut; c++) all[weights.offset + c * weights.stride + r] = p.weights[r * p.fanOut + c];
      all.set(p.bias, bias);
    });
    this.block.restart();
  }

  /** The current parameters per layer (copies, weights row-major [fanIn, fanOut]). */
  read(): LayerParams[] {
    const all = this.kernels.view(0, this.block.base + this.block.count);
    return this.layers.map(({ weights, bias }) => {
      const [fanIn, fanOut] = [weights.cols, weights.rows];
      const values = new Float32Array(fanIn * fanOut);
      for (let r = 0; r < fanIn; r++) for (let c = 0; c < fanOut; c++) values[r * fanOut + c] = all[weights.offset + c * weights.stride + r];
      return { fanIn, fanOut, weights: values, bias: all.slice(bias, bias + fanOut) };
    });
  }

  /** The network's output for `xs` ([samples, inputs] → [samples, outputs]), computed as the step computes it. */
  predict(xs: tf.Tensor2D): tf.Tensor2D {
    const [count, features] = xs.shape;
    const outputs = this.layers.at(-1)!.weights.rows;
    const values = xs.dataSync();
    const result = new Float32Array(count * outputs);
    for (let start = 0; start < count; start += PREDICT_CHUNK) {
      const samples = Math.min(PREDICT_CHUNK, count - start);
      let pass = this.predicting.get(samples);
      if (!pass) {
        const arrays = this.forwardArrays(samples);
        this.predicting.set(samples, (pass = { arrays, program: this.forward(arrays) }));
      }
      this.setByFeature(pass.arrays.inputs[0], values.subarray(start * features, (start + samples) * features));
      pass.program.forEach((operation) => operation.run());
      const output = pass.arrays.inputs[this.layers.length];
      const computed = this.kernels.viewOf(output);
      for (let s = 0; s < samples; s++) for (let o = 0; o < outputs; o++) result[(start + s) * outputs + o] = computed[o * output.stride + s];
    }
    return tf.tensor2d(result, [count, outputs]);
  }

  /**
   * The operations of a forward pass: every layer's input and slope from the parameters, the output last in
   * `inputs`. With dropout factors (training), a hidden layer's output and slope are both multiplied by them:
   * h = σ(z)·f, so ∂h/∂z = σ′(z)·f.
   */
  private forward({ inputs, slopes }: ForwardArrays, factors: readonly Matrix[] = []): Operation[] {
    const last = this.layers.length - 1;
    return this.layers.flatMap(({ weights, bias }, i) => {
      const z = inputs[i + 1];
      const scaled = i === 0 && this.inputScales !== 0;
      const activate = this.activateElementwise;
      // tanh within the product's last part (one meeting of the threads fewer), unless the input scales come between.
      const withTanh = i < last && !activate && !scaled;
      const operations = scaled
        ? [...this.product(z, weights, inputs[i]), { run: () => this.kernels.scaleRows(z, this.inputScales, bias) }]
        : this.product(z, weights, inputs[i], { bias, then: withTanh ? { tanh: slopes[i] } : undefined });
      if (i === last) return operations;
      if (activate) operations.push({ run: () => activate(this.kernels.viewOf(z), this.kernels.viewOf(slopes[i])) });
      else if (scaled) operations.push({ run: () => this.kernels.tanh(z, z, slopes[i]) });
      const f = factors[i];
      if (f) operations.push({ run: () => (this.kernels.multiply(z, f), this.kernels.multiply(slopes[i], f)) });
      return operations;
    });
  }

  /**
   * c = a·b (kernels.matmul) as operations of about PART_WORK multiply-adds each (see PART_WORK); `then` with the
   * last part where every part covers every row, else as an operation of its own.
   */
  private product(c: Matrix, a: Matrix, b: Matrix, options: { transposeA?: boolean; bias?: number; then?: { tanh: Matrix } | { multiply: Matrix } } = {}): Operation[] {
    const k = options.transposeA ? a.rows : a.cols;
    // Each thread's share of a part is PART_WORK: the threads meet once a part, so more threads, fewer meetings.
    const work = PART_WORK * (this.extras.threads ?? 1);
    if (c.rows * c.stride * k <= work) return [{ run: () => this.kernels.matmul(c, a, b, options) }];
    const sliceWork = c.rows * c.stride * Math.min(K_SLICE, k);
    const terms = sliceWork <= work ? K_SLICE * Math.floor(work / sliceWork) : K_SLICE;
    // Columns in parts of equal width (multiples of 8, a panel), at least 32; rows split only below that.
    const fit = Math.max(32, Math.floor(work / (c.rows * Math.min(terms, k))));
    const columnParts = Math.ceil(c.stride / fit);
    const columns = Math.min(c.stride, 8 * Math.ceil(c.stride / columnParts / 8));
    const rows = c.rows * columns * Math.min(terms, k) <= 2 * work ? c.rows : Math.max(16, 4 * Math.floor(work / (columns * K_SLICE) / 4));
    const { then, ...whole } = options;
    const parts: Parameters<WasmKernels['matmul']>[3][] = [];
    // A remainder of under half a slice joins the range before it: a part (and a meeting of the threads) fewer.
    const rangeEnd = (first: number) => (k - (first + terms) < K_SLICE / 2 ? k : first + terms);
    for (let first = 0; first < k; first = rangeEnd(first)) {
      const to = rangeEnd(first);
      for (let left = 0; left < c.stride; left += columns) {
        for (let from = 0; from < c.rows; from += rows) {
          parts.push({
            ...whole,
            rows: { from, count: Math.min(rows, c.rows - from) },
            columns: { from: left, count: Math.min(columns, c.stride - left) },
            depth: { from: first, to },
          });
        }
      }
    }
    // Each part's rows are every row, so the last part can finish them (kernels.wat, share); else a row's last part
    // is not the product's.
    const fused = then && rows === c.rows;
    if (fused) parts[parts.length - 1] = { ...parts.at(-1), then };
    const operations: Operation[] = parts.map((part, i) => ({ run: () => this.kernels.matmul(c, a, b, part), turn: i < parts.length - 1 }));
    if (then && !fused) operations.push({ run: () => ('tanh' in then ? this.kernels.tanh(c, c, then.tanh) : this.kernels.multiply(c, then.multiply)) });
    return operations;
  }

  /** Draws training step `index`'s dropout factors, as the model draws them, into the step's [features, columns] layout. */
  private drawDropout(index: number): void {
    const { rate, runSeed } = this.extras.dropout!;
    this.training.dropoutFactors.forEach((factors, i) => {
      const drawn = dropoutFactors([this.training.samples, factors.rows], rate, dropoutSeed(runSeed, index, i));
      this.setByFeature(factors, drawn.dataSync());
      drawn.dispose();
    });
  }

  /** One full-batch step of the loss; `index` (0-based) seeds its dropout masks and sets the learning rate's schedule. */
  step(index: number): void {
    this.index = index;
    for (const operation of this.program) operation.run();
  }

  /**
   * The same step in parts (stepper.ts), yielding between the parts of a huge product: the optimizer changes the
   * weights only in the last operation, so a step left unfinished has changed no weight and no optimizer state,
   * and the next step overwrites what it computed.
   */
  *stepInParts(index: number): Generator<void, void> {
    this.index = index;
    for (const operation of this.program) {
      operation.run();
      if (operation.turn) yield;
    }
  }

  /** A full-batch step of mean squared error as operations (made once: the step runs them every time). */
  private stepProgram(): Operation[] {
    const { samples, inputs, slopes, targets, deltas, inputsTransposed, dropoutFactors: factors } = this.training;
    const last = this.layers.length - 1;
    const output = inputs[last + 1];
    const program: Operation[] = this.extras.dropout ? [{ run: () => this.drawDropout(this.index) }] : [];
    program.push(...this.forward(this.training, factors));
    // δ of the output: zero in the padding columns, which so add nothing to any gradient.
    const crossEntropy = this.extras.loss === 'softmax-cross-entropy';
    const scale = 2 / (samples * output.rows);
    program.push({
      run: () => {
        const [h, y, delta] = [output, targets, deltas[last]].map((matrix) => this.kernels.viewOf(matrix));
        if (crossEntropy) softmaxCrossEntropyDelta(h, y, delta, output.rows, output.stride, samples);
        else {
          // d(mean (h − y)²)/dh.
          for (let o = 0; o < output.rows; o++) {
            for (let s = 0, i = o * output.stride; s < samples; s++, i++) delta[i] = scale * (h[i] - y[i]);
          }
        }
      },
    });
    for (let i = last; i >= 0; i--) {
      const { weights, bias } = this.layers[i];
      if (i > 0) program.push({ run: () => this.kernels.transpose(inputsTransposed[i], inputs[i]) });
      // The bias gradient from δ itself; the first layer's weights see δ scaled (∂z/∂W = scale·x, ∂z/∂b = 1).
      program.push({ run: () => this.kernels.rowSums(this.block.gradientOffset(bias), deltas[i]) });
      if (i === 0 && this.inputScales) program.push({ run: () => this.kernels.scaleRows(deltas[0], this.inputScales) });
      program.push(...this.product({ ...weights, offset: this.block.gradientOffset(weights.offset) }, deltas[i], inputsTransposed[i]));
      if (i === 0) break;
      program.push(...this.product(deltas[i - 1], weights, deltas[i], { transposeA: true, then: { multiply: slopes[i - 1] } }));
    }
    program.push({
      run: () => {
        if (this.extras.weightDecay) this.block.decay(this.extras.weightDecay);
        const lr = learningRateAt(this.train, this.index);
        // Decoupled weight decay, after the gradient (AdamW's order; the padding is zero and stays so).
        if (this.train.weightDecay) this.block.scale(1 - lr * this.train.weightDecay);
        if (this.train.optimizer === 'adam') this.block.adam(lr);
        else if (this.train.momentum) this.block.momentum(lr, this.train.momentum);
        else this.block.sgd(lr);
      },
    });
    return program;
  }
}

/**
 * δ of the mean over samples of softmax cross-entropy, −Σ_o y_o log softmax(h)_o: (softmax(h) − y)/samples, column
 * by column of [outputs, columns] logits (in double, the largest logit subtracted first, as tfjs does).
 */
function softmaxCrossEntropyDelta(h: Float32Array, y: Float32Array, delta: Float32Array, outputs: number, stride: number, samples: number): void {
  for (let s = 0; s < samples; s++) {
    let max = -Infinity;
    for (let o = 0, i = s; o < outputs; o++, i += stride) max = Math.max(max, h[i]);
    let sum = 0;
    for (let o = 0, i = s; o < outputs; o++, i += stride) sum += Math.exp(h[i] - max);
    for (let o = 0, i = s; o < outputs; o++, i += stride) delta[i] = (Math.exp(h[i] - max) / sum - y[i]) / samples;
  }
}
