/**
 * The CPU step's own kernels, in WebAssembly SIMD (wasm/kernels.wat): matrix products, tanh with its slope,
 * Adam and gradient descent, on matrices laid out by the caller in one memory. The product is cache-tiled and
 * runs at 25-30 GFLOP/s in Node at every size of the bench (measured on a loaded 2-core Xeon; four float32
 * lanes, a multiply and an add), 1.2-1.4× that with relaxed SIMD's fused multiply-add where the engine has it,
 * twice tfjs-wasm's on the canonical network (XNNPACK repacks every new right operand, and every tfjs op
 * allocates its output); nothing is copied between steps.
 */
import { bytesFromBase64 } from '../bytes';
import { CONTROL_WORDS, KernelThreads } from './threads';
import KERNELS_WASM, { RELAXED, RELAXED_SHARED, SHARED, SHARED_PAGES } from './wasm/kernelsBinary';

export const [ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON] = [0.9, 0.999, 1e-8];

/** `count` rounded up to whole lanes of four floats. */
export const lanes = (count: number): number => Math.ceil(count / 4) * 4;

/** A row-major matrix in the kernels' memory: its first float's index, its shape and its row stride (a multiple of 4). */
export interface Matrix {
  offset: number;
  rows: number;
  cols: number;
  stride: number;
}

interface KernelExports {
  matmul(c: number, a: number, b: number, bias: number, m: number, n: number, k: number, ars: number, aks: number, ldb: number, ldc: number, k0: number, pack: number): void;
  share(args: number, index: number, count: number, pack: number): void;
  packFloats: WebAssembly.Global;
  transpose(dst: number, src: number, rows: number, cols: number, lds: number, ldd: number): void;
  rowSums(dst: number, src: number, rows: number, cols: number, ld: number): void;
  multiply(dst: number, x: number, n: number): void;
  scaleRows(m: number, scales: number, bias: number, rows: number, cols: number, ld: number): void;
  tanh(zs: number, as: number, slopes: number, n: number): void;
  adam(base: number, n: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, stepSize: number, correction2Sqrt: number, epsilon: number): void;
  sgd(base: number, n: number, lr: number): void;
}

const PAGE_BYTES = 65536;
/** Products with fewer multiply-adds stay on one thread: waking the helpers would cost more than they save. */
const THREADED_WORK = 1 << 22;
/** The same for tanh, elementwise products and transposes, in values (a few tens of microseconds on one thread). */
const THREADED_VALUES = 1 << 17;
/** The operations' codes in kernels.wat's share. */
const [MATMUL, TANH, MULTIPLY, TRANSPOSE, MATMUL_TANH, MATMUL_MULTIPLY] = [0, 1, 2, 3, 4, 5];
const compiled = new Map<string, WebAssembly.Module>();
const moduleOf = (base64: string): WebAssembly.Module => {
  if (!compiled.has(base64)) compiled.set(base64, new WebAssembly.Module(bytesFromBase64(base64) as Uint8Array<ArrayBuffer>));
  return compiled.get(base64)!;
};

let relaxedSimd: boolean | null = null;
/**
 * Whether this engine has relaxed SIMD, whose multiply-add the product's inner loop then uses (one fused
 * instruction where the CPU has FMA, a rounding fewer): Chromium ≥ 114 and Node ≥ 22 do, Node 20 only with
 * --experimental-wasm-relaxed-simd. Checked once, on the kernels themselves.
 */
export function hasRelaxedSimd(): boolean {
  return (relaxedSimd ??= WebAssembly.validate(bytesFromBase64(RELAXED) as Uint8Array<ArrayBuffer>));
}

/**
 * One memory, filled from the start as arrays are allocated (never freed: a step's arrays live as long as it).
 * With `threads` > 1 the memory is shared and large products run on that many threads (threads.ts); dispose()
 * then ends the helpers.
 */
export class WasmKernels {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: KernelExports;
  /** The next free float; the first lanes stay unused, so that offset 0 can mean "none". */
  private top = 4;
  /** Where the product packs its operands' panels. */
  private readonly pack: number;
  private readonly threads: KernelThreads | null = null;

  /** Whether the product fuses its multiply-adds (relaxed SIMD). */
  readonly fused: boolean;

  /** `fused`: relaxed SIMD's multiply-add in the product (by default where the engine has it; false: never). */
  constructor(threads = 1, fused = hasRelaxedSimd()) {
    const shared = threads > 1;
    this.fused = fused;
    this.memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: SHARED_PAGES, shared } : { initial: 1 });
    const module = moduleOf(fused ? (shared ? RELAXED_SHARED : RELAXED) : shared ? SHARED : KERNELS_WASM);
    this.kernels = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    const packFloats = this.kernels.packFloats.value as number;
    this.pack = this.allocate(packFloats);
    if (shared) {
      const control = this.allocate(CONTROL_WORDS);
      const packs = Array.from({ length: threads - 1 }, () => 4 * this.allocate(packFloats));
      this.threads = new KernelThreads(module, this.memory, 4 * control, packs);
    }
  }

  /** Products large enough run on the helper threads now (false until they have started, and without them). */
  get threaded(): boolean {
    return this.threads?.ready ?? false;
  }

  /** How many times the threads have met so far (0 on one thread). */
  get meetings(): number {
    return this.threads?.meetings ?? 0;
  }

  /** Ends the helper threads, if any. */
  dispose(): void {
    this.threads?.dispose();
  }

  /** The index of `count` fresh floats (zero), on whole lanes. */
  allocate(count: number): number {
    const offset = this.top;
    this.top += lanes(count);
    const missing = Math.ceil((4 * this.top) / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (missing > 0) this.memory.grow(missing);
    return offset;
  }

  /** A zeroed matrix with rows padded to whole lanes. */
  matrix(rows: number, cols: number): Matrix {
    const stride = lanes(cols);
    return { offset: this.allocate(rows * stride), rows, cols, stride };
  }

  /** A view of `count` floats from `offset` (views do not outlive a growth of the memory: take them when needed). */
  view(offset: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, 4 * offset, count);
  }

  /** Every float of a matrix, padding included. */
  viewOf(matrix: Matrix): Float32Array {
    return this.view(matrix.offset, matrix.rows * matrix.stride);
  }

  /**
   * c = a·b (aᵀ·b with `transposeA`), plus `bias[r]` on row r when a bias offset is given. The product runs over
   * every column of c's stride, so b's padding columns should be zero or unused. `rows`: only c's rows
   * `from` … `from + count − 1` (`from` a multiple of 4), as a thread's share computes them: the same values.
   * `columns`: only c's columns `from` … `from + count − 1` of its stride (both multiples of 4), the same values.
   * `depth`: only the terms k = from … to − 1 of the sums, added to c's values unless from = 0 (then the bias,
   * if any, is the start): consecutive depths in order give c bit for bit as one call does.
   * `then`: after the product, on c's rows `rows` (whole rows: give it to the last of a product's parts), tanh in
   * place with its slope into `tanh`, or c ⊙= `multiply`; on threads each does its own rows, without meeting again.
   */
  matmul(
    c: Matrix,
    a: Matrix,
    b: Matrix,
    {
      transposeA = false,
      bias = 0,
      rows,
      columns,
      depth,
      then,
    }: {
      transposeA?: boolean;
      bias?: number;
      rows?: { from: number; count: number };
      columns?: { from: number; count: number };
      depth?: { from: number; to: number };
      then?: { tanh: Matrix } | { multiply: Matrix };
    } = {},
  ): void {
    const [m, k] = transposeA ? [a.cols, a.rows] : [a.rows, a.cols];
    if (c.rows !== m || b.rows !== k || c.cols !== b.cols || b.stride !== c.stride) {
      throw new Error(`matmul of [${m}, ${k}] by [${b.rows}, ${b.cols}] into [${c.rows}, ${c.cols}]`);
    }
    const [ars, aks] = transposeA ? [1, a.stride] : [a.stride, 1];
    const { from, count } = rows ?? { from: 0, count: m };
    if (from % 4 !== 0 || from < 0 || count < 1 || from + count > m) throw new Error(`rows ${from} … ${from + count - 1} of a product of ${m}`);
    const sums = depth ?? { from: 0, to: k };
    if (sums.from < 0 || sums.from >= sums.to || sums.to > k) throw new Error(`terms ${sums.from} … ${sums.to - 1} of sums over ${k}`);
    const span = columns ?? { from: 0, count: c.stride };
    if (span.from % 4 !== 0 || span.count % 4 !== 0 || span.from < 0 || span.count < 4 || span.from + span.count > c.stride) {
      throw new Error(`columns ${span.from} … ${span.from + span.count - 1} of a stride of ${c.stride}`);
    }
    const [cAt, aAt, bAt, biasAt] = [4 * (c.offset + from * c.stride + span.from), 4 * (a.offset + from * ars), 4 * (b.offset + span.from), bias ? 4 * (bias + from) : 0];
    const args = [cAt, aAt, bAt, biasAt, count, span.count, sums.to, ars, aks, b.stride, c.stride, sums.from] as const;
    const threaded = this.threads?.ready && count * span.count * (sums.to - sums.from) >= THREADED_WORK;
    if (!then) {
      if (threaded) this.shared([MATMUL, ...args]);
      else this.kernels.matmul(...args, 4 * this.pack);
      return;
    }
    const other = 'tanh' in then ? then.tanh : then.multiply;
    if (other.rows !== c.rows || other.stride !== c.stride) throw new Error(`[${other.rows}, ${other.cols}] after a product into [${c.rows}, ${c.cols}]`);
    // Row `from` of c and of the other matrix, and the values of the rows.
    const [cRow, otherRow, values] = [4 * (c.offset + from * c.stride), 4 * (other.offset + from * c.stride), count * c.stride];
    if (threaded || this.threadedValues(values)) {
      this.shared('tanh' in then ? [MATMUL_TANH, ...args, cRow, cRow, otherRow] : [MATMUL_MULTIPLY, ...args, cRow, otherRow]);
    } else {
      this.kernels.matmul(...args, 4 * this.pack);
      if ('tanh' in then) this.kernels.tanh(cRow, cRow, otherRow, values);
      else this.kernels.multiply(cRow, otherRow, values);
    }
  }

  /** dst = srcᵀ (dst's padding is left as it is); a large one shared among the threads by dst's rows. */
  transpose(dst: Matrix, src: Matrix): void {
    if (dst.rows !== src.cols || dst.cols !== src.rows) throw new Error(`transpose of [${src.rows}, ${src.cols}] into [${dst.rows}, ${dst.cols}]`);
    const args = [4 * dst.offset, 4 * src.offset, src.rows, src.cols, src.stride, dst.stride] as const;
    if (this.threadedValues(src.rows * src.cols)) this.shared([TRANSPOSE, ...args]);
    else this.kernels.transpose(...args);
  }

  /** dst[i] = Σ_j matrix[i, j], padding included. */
  rowSums(dst: number, matrix: Matrix): void {
    this.kernels.rowSums(4 * dst, 4 * matrix.offset, matrix.rows, matrix.stride, matrix.stride);
  }

  /** Runs an operation (its code, then its arguments) on every thread (kernels.wat, share). */
  private shared(args: readonly number[]): void {
    this.threads!.run(args, (at, index, count) => this.kernels.share(at, index, count, 4 * this.pack));
  }

  /** Whether an elementwise operation over `count` values is worth the helpers' turn. */
  private threadedValues(count: number): boolean {
    return (this.threads?.ready ?? false) && count >= THREADED_VALUES;
  }

  /** dst ⊙= x, elementwise over the whole (equally shaped) matrices. */
  multiply(dst: Matrix, x: Matrix): void {
    const args = [4 * dst.offset, 4 * x.offset, dst.rows * dst.stride] as const;
    if (this.threadedValues(args[2])) this.shared([MULTIPLY, ...args]);
    else this.kernels.multiply(...args);
  }

  /** matrix[r, j] ← matrix[r, j]·scales[r] (+ bias[r] when a bias offset is given), padding included. */
  scaleRows(matrix: Matrix, scales: number, bias = 0): void {
    this.kernels.scaleRows(4 * matrix.offset, 4 * scales, 4 * bias, matrix.rows, matrix.stride, matrix.stride);
  }

  /** a = tanh z and slope = 1 − tanh² z, elementwise over whole matrices (a may be z). */
  tanh(z: Matrix, a: Matrix, slope: Matrix): void {
    const args = [4 * z.offset, 4 * a.offset, 4 * slope.offset, z.rows * z.stride] as const;
    if (this.threadedValues(args[3])) this.shared([TANH, ...args]);
    else this.kernels.tanh(...args);
  }

  /**
   * Adam's step on [parameters | m | v | gradient] from `base`, each `count` floats (a multiple of 4); its
   * constants are computed here in double, as PyTorch computes them in Python.
   */
  adam(base: number, count: number, t: number, lr: number): void {
    const [b1, b2] = [ADAM_BETA1, ADAM_BETA2];
    this.kernels.adam(4 * base, count, b1, b2, 1 - b1, 1 - b2, lr / (1 - b1 ** t), Math.sqrt(1 - b2 ** t), ADAM_EPSILON);
  }

  /** Gradient descent on the same layout. */
  sgd(base: number, count: number, lr: number): void {
    this.kernels.sgd(4 * base, count, lr);
  }
}

/**
 * Parameters with the optimizer's state, [parameters | m | v | gradient] in one block of the kernels' memory:
 * parameter i's gradient is at i + 3·count.
 */
export class ParameterBlock {
  readonly base: number;
  /** Floats per array (a multiple of 4; the padding's gradient is zero, so it stays zero). */
  readonly count: number;
  private t = 0;

  constructor(
    private readonly kernels: WasmKernels,
    count: number,
  ) {
    this.count = lanes(count);
    this.base = kernels.allocate(4 * this.count);
  }

  get params(): Float32Array {
    return this.kernels.view(this.base, this.count);
  }

  get gradient(): Float32Array {
    return this.kernels.view(this.gradientOffset(this.base), this.count);
  }

  /** Where the gradient of the parameter at `offset` is. */
  gradientOffset(offset: number): number {
    return offset + 3 * this.count;
  }

  /** Clears the moments and the step count. */
  restart(): void {
    this.kernels.view(this.base + this.count, 2 * this.count).fill(0);
    this.t = 0;
  }

  /** One step of Adam as PyTorch computes it (ε outside the square root, bias corrections). */
  adam(lr: number): void {
    this.kernels.adam(this.base, this.count, ++this.t, lr);
  }

  sgd(lr: number): void {
    this.kernels.sgd(this.base, this.count, lr);
  }

  /** Heavy-ball momentum in PyTorch's form (tfjs' too): v ← μv + g, θ ← θ − ηv, with v in m's place. */
  momentum(lr: number, mu: number): void {
    const [params, velocity, gradient] = [this.params, this.kernels.view(this.base + this.count, this.count), this.gradient];
    for (let i = 0; i < this.count; i++) {
      velocity[i] = mu * velocity[i] + gradient[i];
      params[i] -= lr * velocity[i];
    }
  }

  /** Adds weight decay's gradient λθ to the gradient. */
  decay(rate: number): void {
    const [params, gradient] = [this.params, this.gradient];
    for (let i = 0; i < this.count; i++) gradient[i] += rate * params[i];
  }

  /** Multiplies every parameter by `factor` (decoupled weight decay; `decay` is the coupled kind). */
  scale(factor: number): void {
    const params = this.params;
    for (let i = 0; i < params.length; i++) params[i] *= factor;
  }
}
