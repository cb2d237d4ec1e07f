/**
 * The gradients on WebGPU for a plain MLP trained on the data loss, written by hand so that each piece is one
 * dispatch. A dense program of ours (a tiled matrix product) fuses a layer's product, bias and activation in the
 * forward pass, and in the backward pass the product by the next layer's weights with the activation's slope,
 * which it takes from the layer's output; two more give the loss' gradient and the bias gradients (column sums).
 * Weight gradients are WebGPU's matmul with a transpose flag. Nothing is read back. On the canonical network this
 * is 16 dispatches where the tape records 40 (the bench counts them).
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { ActivationName } from '../models/activations';
import type { Mlp } from '../models/mlp';
import { WGSL_TANH } from './accurateTanh';
import { flatProgram, run } from './webgpuKernels';

/**
 * The activations the dense program fuses, in WGSL: σ(z), and the slope σ′ as a function of the output a = σ(z)
 * (so the backward needs no pre-activations; sin, whose slope is not a function of sin z, keeps the tape).
 */
const ACTIVATIONS = {
  tanh: { value: 'accurateTanh(z)', slope: '1.0 - a * a' },
  relu: { value: 'max(z, 0.0)', slope: 'select(0.0, 1.0, a > 0.0)' },
  sigmoid: { value: '1.0 / (1.0 + exp(-z))', slope: 'a * (1.0 - a)' },
} as const satisfies Partial<Record<ActivationName, { value: string; slope: string }>>;
type FusedActivation = keyof typeof ACTIVATIONS;

/** Whether a run can take this step: a plain MLP (no input scales, no dropout) with a fused activation, on WebGPU. */
export function gpuStepApplies(activation: ActivationName, plain: boolean): boolean {
  return plain && activation in ACTIVATIONS && tf.getBackend() === 'webgpu';
}

const TILE = 16;

/**
 * out[M, N] = epilogue(A·B), with A [M, K] and B [K, N] (B read as the transpose of a stored [N, K] matrix with
 * `transposeB`), in tiles of 16 × 16 kept in workgroup memory. The epilogue sees `sum`, `row`, `col`, `n` and the
 * extra inputs.
 */
function denseProgram(key: string, outputShape: [number, number], transposeB: boolean, extraInputs: string[], epilogue: string): WebGPUProgram {
  const dispatchLayout = { x: [1], y: [0] };
  const workgroupSize: [number, number, number] = [TILE, TILE, 1];
  return {
    shaderKey: `dense_${key}_${transposeB}`,
    outputShape,
    dispatchLayout,
    dispatch: webgpu_util.computeDispatch(dispatchLayout, outputShape, workgroupSize),
    workgroupSize,
    variableNames: ['A', 'B', ...extraInputs],
    uniforms: 'k : i32,',
    getUserCode: () => `${WGSL_TANH}
var<workgroup> tileA : array<array<f32, ${TILE}>, ${TILE}>;
var<workgroup> tileB : array<array<f32, ${TILE}>, ${TILE}>;
fn main() {
  let m = uniforms.outShape.x;
  let n = uniforms.outShape.y;
  let k = uniforms.k;
  let row = i32(globalId.y);
  let col = i32(globalId.x);
  let ly = i32(localId.y);
  let lx = i32(localId.x);
  var sum = 0.0;
  for (var t = 0; t < k; t = t + ${TILE}) {
    tileA[ly][lx] = 0.0;
    if (row < m && t + lx < k) { tileA[ly][lx] = A[row * k + t + lx]; }
    tileB[ly][lx] = 0.0;
    if (t + ly < k && col < n) { tileB[ly][lx] = B[${transposeB ? 'col * k + t + ly' : '(t + ly) * n + col'}]; }
    workgroupBarrier();
    for (var i = 0; i < ${TILE}; i = i + 1) { sum = sum + tileA[ly][i] * tileB[i][lx]; }
    workgroupBarrier();
  }
  if (row < m && col < n) {
    ${epilogue}
  }
}`,
  };
}

/** A layer forward: σ(x·W + b), or x·W + b for the output layer (activation null). */
function denseForward(x: tf.Tensor2D, weights: tf.Tensor, bias: tf.Tensor, activation: FusedActivation | null): tf.Tensor2D {
  const value = activation ? ACTIVATIONS[activation].value : 'z';
  const [, fanOut] = weights.shape as [number, number];
  const program = denseProgram(`forward_${activation ?? 'linear'}`, [x.shape[0], fanOut], false, ['Bias'], `let z = sum + Bias[col];\n    setOutputAtIndex(row * n + col, ${value});`);
  return run<tf.Tensor2D>(program, [x, weights, bias], [{ type: 'int32', data: [x.shape[1]] }]);
}

/** The previous layer's δ: (δ·Wᵀ) ⊙ σ′, with σ′ from that layer's output a. */
function denseBackward(delta: tf.Tensor2D, weights: tf.Tensor, output: tf.Tensor2D, activation: FusedActivation): tf.Tensor2D {
  const program = denseProgram(`backward_${activation}`, output.shape, true, ['Output'], `let a = Output[row * n + col];\n    setOutputAtIndex(row * n + col, sum * (${ACTIVATIONS[activation].slope}));`);
  return run<tf.Tensor2D>(program, [delta, weights, output], [{ type: 'int32', data: [delta.shape[1]] }]);
}

/** Σ over rows, per column, in one dispatch (tfjs' sum over the first axis transposes first). */
function columnSums(matrix: tf.Tensor2D): tf.Tensor1D {
  const [rows, cols] = matrix.shape;
  const program = flatProgram('column_sums', [cols], ['D'], 'rows : i32,', 'var s = 0.0;\n    for (var r = 0; r < uniforms.rows; r = r + 1) { s = s + D[r * uniforms.size + index]; }\n    setOutputAtIndex(index, s);');
  return run<tf.Tensor1D>(program, [matrix], [{ type: 'int32', data: [rows] }]);
}

/** d(mean (output − ys)²)/d(output) = (2/size)(output − ys), in one dispatch. */
function lossGradient(output: tf.Tensor2D, ys: tf.Tensor2D): tf.Tensor2D {
  const program = flatProgram('mse_gradient', output.shape, ['O', 'Y'], 'scale : f32,', 'setOutputAtIndex(index, uniforms.scale * (O[index] - Y[index]));');
  return run<tf.Tensor2D>(program, [output, ys], [{ type: 'float32', data: [2 / ys.size] }]);
}

/** d(mean (output − ys)²)/d(each variable), by variable name (what an optimizer's applyGradients takes). */
export function dataLossGradients(model: Mlp, xs: tf.Tensor2D, ys: tf.Tensor2D): tf.NamedTensorMap {
  const activation = model.spec.activation as FusedActivation;
  const last = model.weights.length - 1;
  const inputs: tf.Tensor2D[] = [xs];
  for (let i = 0; i < last; i++) inputs.push(denseForward(inputs[i], model.weights[i], model.biases[i], activation));
  let delta = lossGradient(denseForward(inputs[last], model.weights[last], model.biases[last], null), ys);
  const gradients: tf.NamedTensorMap = {};
  for (let i = last; i >= 0; i--) {
    gradients[model.weights[i].name] = tf.matMul(inputs[i], delta, true, false);
    gradients[model.biases[i].name] = columnSums(delta);
    if (i > 0) delta = denseBackward(delta, model.weights[i], inputs[i], activation);
  }
  return gradients;
}
