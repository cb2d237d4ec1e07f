/**
 * The training step on the CPU backends (WASM, CPU) without the gradient tape: forward, a hand-written backward
 * and the optimizer on one flat array of parameters. About 5× faster than the tape for our networks, because in
 * tfjs-wasm (measured on the canonical network, 61 samples):
 * - a matmul with a transposed operand (what the tape's matMul gradient calls) runs about 13× slower than a
 *   plain one, so the backward transposes explicitly and multiplies plainly;
 * - XNNPACK repacks the right operand of every product whose right operand is a new tensor, about 3.5 ns a
 *   float: activations are kept as [features, samples], so that operand is samples wide (200 × 61) instead of a
 *   200 × 200 weight matrix;
 * - an outer product (the first layer of a 1-D input) runs about 4× slower as a matmul, or as a multiply that
 *   broadcasts both operands, than as a multiply of the inputs repeated per neuron by a column of weights;
 *   likewise the weight gradient of a layer with one output (a matrix times a vector) is a multiply and a sum;
 * - tanh is scalar (about 15 ns a value): our own kernel computes it and its slope in WebAssembly SIMD
 *   (wasmKernels.ts), accurately down to the tiny values of small initializations;
 * - Adam runs in WebAssembly SIMD too, 5× faster than a JavaScript loop.
 * A test checks the loss curves agree with the tape's.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationName } from '../models/activations';
import { ACTIVATION_FUNCTIONS, type LayerParams } from '../models/mlp';
import type { TrainSettings } from './trainer';
import { WasmAdam, WasmTanh } from './wasmKernels';

/** The derivative of each activation the hand-written backward knows (besides tanh), from z and a = σ(z). */
const SLOPES: Partial<Record<ActivationName, (z: tf.Tensor, a: tf.Tensor) => tf.Tensor>> = {
  relu: (z) => tf.step(z),
  sigmoid: (_, a) => tf.mul(a, tf.sub(1, a)),
  sin: (z) => tf.cos(z),
};

/** A hidden layer's output a = σ(z) and its slope σ′(z), which the backward multiplies by. */
type Activated = { a: tf.Tensor2D; slope: tf.Tensor2D };

const CPU_STEP_BACKENDS = ['wasm', 'cpu'];

/** Whether a run can take the CPU step: a plain MLP (no input scales, no dropout) with a known activation, on a CPU backend. */
export function cpuStepApplies(activation: ActivationName, plain: boolean): boolean {
  return plain && (activation === 'tanh' || activation in SLOPES) && CPU_STEP_BACKENDS.includes(tf.getBackend());
}

export class CpuStep {
  /** All weights and biases, layer by layer: the weights transposed (row-major [fanOut, fanIn]), then the bias. */
  private readonly optimizer: WasmAdam;
  private readonly layers: { fanIn: number; fanOut: number; offset: number }[];
  private readonly activate: (z: tf.Tensor2D) => Activated;
  /** Inputs and targets as [features, samples]. */
  private readonly inputsByFeature: tf.Tensor2D;
  /** With one input feature: the inputs repeated for each neuron of the first layer; null otherwise. */
  private readonly inputsPerNeuron: tf.Tensor2D | null;
  private readonly targetsByFeature: tf.Tensor2D;

  constructor(
    start: readonly LayerParams[],
    activation: ActivationName,
    private readonly train: TrainSettings,
    private readonly xs: tf.Tensor2D,
    ys: tf.Tensor2D,
  ) {
    let offset = 0;
    this.layers = start.map((p) => {
      const layer = { fanIn: p.fanIn, fanOut: p.fanOut, offset };
      offset += p.weights.length + p.bias.length;
      return layer;
    });
    this.optimizer = new WasmAdam(offset);
    this.load(start);
    this.activate = activation === 'tanh' ? this.tanhOf(new WasmTanh(Math.max(1, ...start.slice(0, -1).map((p) => p.fanOut)) * xs.shape[0])) : this.activationOf(activation);
    // Kept: the step may be made inside a caller's tidy (a snapshot's prediction asks for it first).
    this.inputsByFeature = tf.keep(tf.transpose(xs));
    this.inputsPerNeuron = start[0].fanIn === 1 ? tf.keep(tf.tile(this.inputsByFeature, [start[0].fanOut, 1])) : null;
    this.targetsByFeature = tf.keep(tf.transpose(ys));
  }

  private activationOf(name: ActivationName): (z: tf.Tensor2D) => Activated {
    const slope = SLOPES[name];
    if (!slope) throw new Error(`the CPU step has no derivative of ${name}`);
    return (z) => {
      const a = ACTIVATION_FUNCTIONS[name](z) as tf.Tensor2D;
      return { a, slope: slope(z, a) as tf.Tensor2D };
    };
  }

  private tanhOf(kernel: WasmTanh): (z: tf.Tensor2D) => Activated {
    return (z) => {
      const values = z.dataSync();
      // In one go, WASM copies the kernel's results into its heap; the CPU backend keeps the arrays it is given, so
      // it gets fresh ones (and so do inputs larger than the kernel's memory, done a piece at a time).
      if (z.size <= kernel.capacity && tf.getBackend() === 'wasm') {
        kernel.input.set(values);
        kernel.run(z.size);
        return { a: tf.tensor2d(kernel.output.subarray(0, z.size), z.shape), slope: tf.tensor2d(kernel.slope.subarray(0, z.size), z.shape) };
      }
      const [a, slope] = [new Float32Array(z.size), new Float32Array(z.size)];
      for (let start = 0; start < z.size; start += kernel.capacity) {
        const count = Math.min(kernel.capacity, z.size - start);
        kernel.input.set(values.subarray(start, start + count));
        kernel.run(count);
        a.set(kernel.output.subarray(0, count), start);
        slope.set(kernel.slope.subarray(0, count), start);
      }
      return { a: tf.tensor2d(a, z.shape), slope: tf.tensor2d(slope, z.shape) };
    };
  }

  /** Sets the parameters (and clears the optimizer's state). */
  load(params: readonly LayerParams[]): void {
    const all = this.optimizer.params;
    params.forEach((p, i) => {
      const { fanIn, fanOut, offset } = this.layers[i];
      for (let r = 0; r < fanIn; r++) for (let c = 0; c < fanOut; c++) all[offset + c * fanIn + r] = p.weights[r * fanOut + c];
      all.set(p.bias, offset + p.weights.length);
    });
    this.optimizer.restart();
  }

  /** The current parameters per layer (copies, weights row-major [fanIn, fanOut]). */
  read(): LayerParams[] {
    const all = this.optimizer.params;
    return this.layers.map(({ fanIn, fanOut, offset }) => {
      const weights = new Float32Array(fanIn * fanOut);
      for (let r = 0; r < fanIn; r++) for (let c = 0; c < fanOut; c++) weights[r * fanOut + c] = all[offset + c * fanIn + r];
      return { fanIn, fanOut, weights, bias: all.slice(offset + fanIn * fanOut, offset + fanIn * fanOut + fanOut) };
    });
  }

  /** Frees the transposed data. */
  dispose(): void {
    tf.dispose([this.inputsByFeature, this.targetsByFeature, ...(this.inputsPerNeuron ? [this.inputsPerNeuron] : [])]);
  }

  /** The network's output for `xs` ([samples, inputs] → [samples, outputs]), computed as the step computes it. */
  predict(xs: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.transpose(this.forward(tf.transpose(xs), null).output));
  }

  /** Weights (transposed) and biases as tensors, viewing the flat parameters. */
  private parameterTensors(): { weightsT: tf.Tensor2D[]; biases: tf.Tensor2D[] } {
    const all = this.optimizer.params;
    return {
      weightsT: this.layers.map(({ fanIn, fanOut, offset }) => tf.tensor2d(all.subarray(offset, offset + fanIn * fanOut), [fanOut, fanIn])),
      biases: this.layers.map(({ fanIn, fanOut, offset }) => tf.tensor2d(all.subarray(offset + fanIn * fanOut, offset + fanIn * fanOut + fanOut), [fanOut, 1])),
    };
  }

  /**
   * Every layer's input and slope, and the output, all as [features, samples]. `inputsPerNeuron`: the inputs
   * repeated per first-layer neuron, when there is one input feature.
   */
  private forward(inputsByFeature: tf.Tensor2D, inputsPerNeuron: tf.Tensor2D | null): { weightsT: tf.Tensor2D[]; inputs: tf.Tensor2D[]; slopes: tf.Tensor2D[]; output: tf.Tensor2D } {
    const { weightsT, biases } = this.parameterTensors();
    const last = this.layers.length - 1;
    const inputs: tf.Tensor2D[] = [inputsByFeature];
    const slopes: tf.Tensor2D[] = [];
    for (let i = 0; i < last; i++) {
      const weighted = i === 0 && inputsPerNeuron ? tf.mul(inputsPerNeuron, weightsT[0]) : tf.matMul(weightsT[i], inputs[i]);
      const { a, slope } = this.activate(tf.add(weighted, biases[i]));
      inputs.push(a);
      slopes.push(slope);
    }
    return { weightsT, inputs, slopes, output: tf.add(tf.matMul(weightsT[last], inputs[last]), biases[last]) };
  }

  /**
   * One full-batch step of mean squared error. Activations are [features, samples], so the operand XNNPACK packs
   * afresh for every product (the right one) is a samples-wide matrix, never a 200 × 200 weight matrix.
   */
  step(): void {
    const all = this.optimizer.params;
    const gradient = tf.tidy(() => {
      const last = this.layers.length - 1;
      const { weightsT, inputs, slopes, output } = this.forward(this.inputsByFeature, this.inputsPerNeuron);
      // d(mean (h − y)²)/dh
      let dZ = tf.mul(tf.sub(output, this.targetsByFeature), 2 / this.targetsByFeature.size) as tf.Tensor2D;
      const parts: tf.Tensor[] = new Array(2 * this.layers.length);
      for (let i = last; i >= 0; i--) {
        const single = this.layers[i].fanOut === 1;
        parts[2 * i] = single ? tf.sum(tf.mul(inputs[i], dZ), 1) : tf.matMul(dZ, i === 0 ? this.xs : tf.transpose(inputs[i])).reshape([-1]);
        parts[2 * i + 1] = tf.sum(dZ, 1);
        const weights = single ? weightsT[i].reshape([-1, 1]) : tf.transpose(weightsT[i]);
        if (i > 0) dZ = tf.mul(tf.matMul(weights, dZ), slopes[i - 1]) as tf.Tensor2D;
      }
      return parts;
    });
    // Each part straight into the optimizer's gradient array (no concatenation, one copy).
    let offset = 0;
    for (const part of gradient) {
      this.optimizer.gradient.set(part.dataSync(), offset);
      offset += part.size;
    }
    tf.dispose(gradient);
    if (this.train.optimizer === 'sgd') {
      const { lr } = this.train;
      const g = this.optimizer.gradient;
      for (let i = 0; i < all.length; i++) all[i] -= lr * g[i];
    } else {
      this.optimizer.step(this.train.lr);
    }
  }
}
