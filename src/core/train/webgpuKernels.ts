/**
 * Our WebGPU Adam, in two dispatches a variable instead of tfjs' fourteen: one program updates both moments
 * (kept side by side in one buffer), one updates the weights from them. Same arithmetic as PyTorch's Adam and ours
 * on the CPU (ε outside the square root, bias corrections). A browser test compares the loss curves with tfjs'
 * own. Also the helpers our other programs run with (gpuStep.ts, accurateTanh.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './wasmKernels';

const WORKGROUP: [number, number, number] = [128, 1, 1];

/**
 * A flat program over an output of `outputShape`; the WGSL body sees `index` and the declared uniforms, and may
 * call the WGSL functions in `helpers`.
 */
export function flatProgram(shaderKey: string, outputShape: number[], variableNames: string[], uniforms: string, body: string, helpers = ''): WebGPUProgram {
  const dispatchLayout = webgpu_util.flatDispatchLayout(outputShape);
  return {
    shaderKey,
    outputShape,
    dispatchLayout,
    dispatch: webgpu_util.computeDispatch(dispatchLayout, outputShape, WORKGROUP),
    workgroupSize: WORKGROUP,
    variableNames,
    size: true,
    uniforms,
    getUserCode: () => `${helpers}\nfn main(index : i32) {\n  if (index < uniforms.size) {\n    ${body}\n  }\n}`,
  };
}

/** Runs a program on the WebGPU backend and wraps its output as a tensor. */
export function run<T extends tf.Tensor>(program: WebGPUProgram, inputs: tf.Tensor[], uniforms: { type: string; data: number[] }[] = []): T {
  const backend = tf.backend() as WebGPUBackend;
  return tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, inputs, 'float32', uniforms)) as T;
}

/** [m | v] ← [β₁m + (1−β₁)g | β₂v + (1−β₂)g²] for a gradient of n values. */
const momentsProgram = (n: number) =>
  flatProgram(
    'adam_moments',
    [2 * n],
    ['G', 'S'],
    'beta1 : f32, beta2 : f32, n : i32,',
    `if (index < uniforms.n) {
      setOutputAtIndex(index, uniforms.beta1 * S[index] + (1.0 - uniforms.beta1) * G[index]);
    } else {
      let g = G[index - uniforms.n];
      setOutputAtIndex(index, uniforms.beta2 * S[index] + (1.0 - uniforms.beta2) * g * g);
    }`,
  );

/** w ← w − stepSize·m / (√v·inverseCorrection + ε), from the moments [m | v]. */
const weightsProgram = (n: number) =>
  flatProgram(
    'adam_weights',
    [n],
    ['W', 'S'],
    'stepSize : f32, inverseCorrection : f32, epsilon : f32,',
    `setOutputAtIndex(index, W[index] - uniforms.stepSize * S[index] / (sqrt(S[index + uniforms.size]) * uniforms.inverseCorrection + uniforms.epsilon));`,
  );

export class WebGpuAdam extends tf.Optimizer {
  static get className(): string {
    return 'WebGpuAdam';
  }

  /** Both moments of each variable, [m | v], by variable name. */
  private readonly moments = new Map<string, tf.Tensor1D>();
  private t = 0;

  constructor(private learningRate: number) {
    super();
  }

  /** A schedule's new rate, from the next step on. */
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const gradients = Array.isArray(variableGradients) ? variableGradients.map(({ name, tensor }) => [name, tensor] as const) : Object.entries(variableGradients);
    this.t++;
    const stepSize = this.learningRate / (1 - ADAM_BETA1 ** this.t);
    const inverseCorrection = 1 / Math.sqrt(1 - ADAM_BETA2 ** this.t);
    for (const [name, gradient] of gradients) {
      const variable = tf.engine().registeredVariables[name];
      const n = variable.size;
      const previous = this.moments.get(name) ?? tf.keep(tf.zeros([2 * n]) as tf.Tensor1D);
      const moments = tf.keep(
        run<tf.Tensor1D>(momentsProgram(n), [gradient, previous], [
          { type: 'float32', data: [ADAM_BETA1] },
          { type: 'float32', data: [ADAM_BETA2] },
          { type: 'int32', data: [n] },
        ]),
      );
      previous.dispose();
      this.moments.set(name, moments);
      const weights = run<tf.Tensor1D>(weightsProgram(n), [variable, moments], [
        { type: 'float32', data: [stepSize] },
        { type: 'float32', data: [inverseCorrection] },
        { type: 'float32', data: [ADAM_EPSILON] },
      ]);
      const shaped = weights.reshape(variable.shape);
      variable.assign(shaped);
      tf.dispose([weights, shaped]);
    }
  }

  override dispose(): void {
    tf.dispose([...this.moments.values()]);
    this.moments.clear();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate };
  }
}
