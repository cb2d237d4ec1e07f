/**
 * The CPU step's own kernels, in WebAssembly SIMD (wasm/kernels.wat), for what tfjs-wasm does slowly or not at
 * all: Adam over one flat array of parameters (about 5× faster than a JavaScript loop, which has no float32
 * vectors) and an accurate vectorized tanh with its slope. Each object owns a memory; its views are the arrays.
 */
import { bytesFromBase64 } from '../bytes';
import KERNELS_WASM from './wasm/kernelsBinary';

export const [ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON] = [0.9, 0.999, 1e-8];

const PAGE_BYTES = 65536;
let compiled: WebAssembly.Module | null = null;

/** `arrays` views of `count` floats each, in a fresh instance's memory; the padding to 4 lanes stays zero. */
function instantiate(count: number, arrays: number): { exports: WebAssembly.Exports; lanes: number; views: Float32Array[] } {
  const lanes = Math.ceil(count / 4) * 4;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((4 * arrays * lanes) / PAGE_BYTES)) });
  compiled ??= new WebAssembly.Module(bytesFromBase64(KERNELS_WASM) as Uint8Array<ArrayBuffer>);
  const { exports } = new WebAssembly.Instance(compiled, { env: { memory } });
  return { exports, lanes, views: Array.from({ length: arrays }, (_, i) => new Float32Array(memory.buffer, 4 * i * lanes, count)) };
}

export class WasmAdam {
  readonly params: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly gradient: Float32Array;
  private readonly run: (n: number, beta1: number, beta2: number, stepSize: number, inverseCorrection: number, epsilon: number) => void;
  private readonly lanes: number;
  private t = 0;

  constructor(count: number) {
    const { exports, lanes, views } = instantiate(count, 4);
    this.run = exports.adam as WasmAdam['run'];
    this.lanes = lanes;
    [this.params, this.m, this.v, this.gradient] = views;
  }

  /** Clears the moments and the step count. */
  restart(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.t = 0;
  }

  /** One step from `gradient`, as PyTorch's Adam computes it (ε outside the square root, bias corrections). */
  step(lr: number): void {
    this.t++;
    this.run(this.lanes, ADAM_BETA1, ADAM_BETA2, lr / (1 - ADAM_BETA1 ** this.t), 1 / Math.sqrt(1 - ADAM_BETA2 ** this.t), ADAM_EPSILON);
  }
}

export class WasmTanh {
  /** Write z here (up to `capacity` values)… */
  readonly input: Float32Array;
  /** …and after run(), tanh z and 1 − tanh² z are here. */
  readonly output: Float32Array;
  readonly slope: Float32Array;
  private readonly kernel: (stride: number, n: number) => void;
  private readonly lanes: number;

  constructor(readonly capacity: number) {
    const { exports, lanes, views } = instantiate(capacity, 3);
    this.kernel = exports.tanh as WasmTanh['kernel'];
    this.lanes = lanes;
    [this.input, this.output, this.slope] = views;
  }

  /** tanh and its slope for the first `count` inputs. */
  run(count: number): void {
    if (count > this.capacity) throw new Error(`tanh of ${count} values, room for ${this.capacity}`);
    this.kernel(this.lanes, count);
  }
}
