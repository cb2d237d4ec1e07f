/**
 * Matrix products on tfjs-wasm with the transposes done first. Its BatchMatMul runs a transposed operand through
 * a path several times slower than a transpose followed by its plain product: on this machine's CPU, dW = hᵀg
 * ([1152, 32]ᵀ × [1152, 128]) took 9.8 ms against 1.9 ms, and g Wᵀ ([1152, 32] × [128, 32]ᵀ) 8.7 ms against
 * 1.1 ms. Every gradient of a product is such a product (tfjs' gradient of a·b is dy·bᵀ and aᵀ·dy), so the
 * tape's backward pass spent most of its time there: the anchor page's transformer trained at 5 steps per
 * CPU-second (`npm run bench -- --anchor`). The gradients and every other backend are untouched.
 */
import * as tf from '@tensorflow/tfjs';

const KERNEL = 'BatchMatMul';
let original: tf.KernelConfig | undefined;

/** The last two axes swapped, by the backend's own Transpose. */
function swapLastTwo(x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  const transpose = tf.getKernel('Transpose', 'wasm') as tf.KernelConfig;
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

const untransposed: tf.KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as tf.KernelBackend;
  const plain = original as tf.KernelConfig;
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return plain.kernelFunc({ inputs, backend, attrs });
  const swapped = [transposeA ? swapLastTwo(inputs.a as tf.TensorInfo, backend) : null, transposeB ? swapLastTwo(inputs.b as tf.TensorInfo, backend) : null];
  const out = plain.kernelFunc({ inputs: { a: swapped[0] ?? inputs.a, b: swapped[1] ?? inputs.b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
  for (const temporary of swapped) if (temporary) backend.disposeData(temporary.dataId);
  return out;
};

/** Registers the untransposing BatchMatMul for wasm in place of tfjs' (after the backend's own kernels are registered). */
export function useUntransposedWasmMatMul(): void {
  const current = tf.getKernel(KERNEL, 'wasm');
  if (!current || current.kernelFunc === untransposed) return;
  original = current;
  tf.unregisterKernel(KERNEL, 'wasm');
  tf.registerKernel({ ...current, kernelFunc: untransposed });
}
