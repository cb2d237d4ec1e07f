/**
 * The gradients on WebGPU for a plain MLP trained on the data loss, written by hand so that each piece is one
 * dispatch: the forward's matmul and bias are fused, the backward's transposed products are flags of WebGPU's
 * matmul, and the incoming gradient times the activation's slope is one program (webgpuKernels.ts). Nothing is
 * read back. On the canonical network this is 27 dispatches where the tape records 40 (the bench counts them).
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationName } from '../models/activations';
import { ACTIVATION_FUNCTIONS, type Mlp } from '../models/mlp';
import { timesSlope, WGSL_SLOPES } from './webgpuKernels';

/** Whether a run can take this step: a plain MLP (no input scales, no dropout) with a known activation, on WebGPU. */
export function gpuStepApplies(activation: ActivationName, plain: boolean): boolean {
  return plain && activation in WGSL_SLOPES && tf.getBackend() === 'webgpu';
}

/** d(mean (output − ys)²)/d(each variable), by variable name (what an optimizer's applyGradients takes). */
export function dataLossGradients(model: Mlp, xs: tf.Tensor2D, ys: tf.Tensor2D): tf.NamedTensorMap {
  const activation = model.spec.activation as keyof typeof WGSL_SLOPES;
  const last = model.weights.length - 1;
  const inputs: tf.Tensor2D[] = [xs];
  const pre: tf.Tensor2D[] = [];
  for (let i = 0; i <= last; i++) {
    pre.push(tf.fused.matMul({ a: inputs[i], b: model.weights[i], bias: model.biases[i] }) as tf.Tensor2D);
    if (i < last) inputs.push(ACTIVATION_FUNCTIONS[activation](pre[i]) as tf.Tensor2D);
  }
  let dZ = tf.mul(tf.sub(pre[last], ys), 2 / ys.size) as tf.Tensor2D;
  const gradients: tf.NamedTensorMap = {};
  for (let i = last; i >= 0; i--) {
    gradients[model.weights[i].name] = tf.matMul(inputs[i], dZ, true, false);
    gradients[model.biases[i].name] = tf.sum(dZ, 0);
    if (i > 0) dZ = timesSlope(activation, tf.matMul(dZ, model.weights[i], false, true), pre[i - 1], inputs[i]);
  }
  return gradients;
}
