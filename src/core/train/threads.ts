/**
 * The CPU step's helper threads. Where shared memory exists (a cross-origin-isolated page, Node) the kernels'
 * memory is shared, and a product large enough is split by rows among the machine's cores (and a large tanh or
 * elementwise product by values): each helper runs its share in the same WebAssembly module on the same memory
 * (kernels.wat, share), woken and awaited through Atomics on a few words of that memory. A row's sums do not
 * depend on the split, nor a value's tanh, so threads change no result.
 * Elsewhere the step runs on one thread, and availableThreads() says why.
 */

/** The control words (int32, in the kernels' memory): a generation counter, pending shares, ready helpers, stop, then the operation's code and arguments. */
const [GENERATION, PENDING, READY, STOP, ARGS] = [0, 1, 2, 3, 4];
export const CONTROL_WORDS = ARGS + 16;
/** More threads than this split the products of our sizes too finely to gain. */
const MAX_THREADS = 8;

/** A helper: waits for a generation, runs its share, counts itself done; its data come in one message. */
const HELPER = `({ module, memory, control, index, count, pack }) => {
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const words = new Int32Array(memory.buffer, control, ${CONTROL_WORDS});
  Atomics.add(words, ${READY}, 1);
  for (let seen = 0; ; ) {
    Atomics.wait(words, ${GENERATION}, seen);
    seen = Atomics.load(words, ${GENERATION});
    if (Atomics.load(words, ${STOP})) return;
    kernels.share(control + ${4 * ARGS}, index, count, pack);
    if (Atomics.sub(words, ${PENDING}, 1) === 1) Atomics.notify(words, ${PENDING});
  }
}`;

interface Helper {
  post(data: unknown): void;
  terminate(): void;
}

interface NodeWorkers {
  Worker: new (code: string, options: { eval: true }) => { postMessage(data: unknown): void; terminate(): Promise<number>; unref(): void };
}

/** Node's modules without an import (this file is bundled for the browser too); Node ≥ 20.16 has getBuiltinModule. */
function nodeModule<T>(name: string): T | null {
  const process = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  return (process?.getBuiltinModule?.(name) as T | undefined) ?? null;
}

/** Starts a helper: a Web Worker from a blob (in the browser's worker), a worker thread in Node; null: neither here. */
function spawnHelper(): Helper | null {
  if (typeof Worker !== 'undefined' && typeof Blob !== 'undefined') {
    const url = URL.createObjectURL(new Blob([`self.onmessage = (event) => (${HELPER})(event.data);`], { type: 'text/javascript' }));
    const worker = new Worker(url);
    return {
      post: (data) => worker.postMessage(data),
      terminate: () => {
        worker.terminate();
        URL.revokeObjectURL(url);
      },
    };
  }
  const workers = nodeModule<NodeWorkers>('node:worker_threads');
  if (!workers) return null;
  const worker = new workers.Worker(`require('node:worker_threads').parentPort.once('message', ${HELPER});`, { eval: true });
  // A helper never keeps a finished process alive.
  worker.unref();
  return { post: (data) => worker.postMessage(data), terminate: () => void worker.terminate() };
}

/** How many threads the CPU step can use here, and why only one where that is so (the run bar says it). */
export function availableThreads(): { count: number; why?: string } {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof SharedArrayBuffer === 'undefined' || isolated === false) return { count: 1, why: 'the page is not cross-origin isolated, so it has no shared memory' };
  const os = nodeModule<{ availableParallelism(): number }>('node:os');
  const cores = os?.availableParallelism() ?? globalThis.navigator?.hardwareConcurrency ?? 1;
  if (cores < 2) return { count: 1, why: 'this machine shows one core' };
  if (typeof Worker === 'undefined' && !nodeModule('node:worker_threads')) return { count: 1, why: 'no threads can start here' };
  return { count: Math.min(cores, MAX_THREADS) };
}

/** The helpers of one kernels' instance; the calling thread takes share 0 of every product. */
export class KernelThreads {
  private readonly helpers: Helper[] = [];
  private readonly words: Int32Array;
  /** How many times the threads have met (run): each costs a wake-up and a wait (npm run bench -- --threads). */
  meetings = 0;

  /** `control`: CONTROL_WORDS words of the memory (byte offset); `packs`: a pack area (byte offset) per helper. */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    private readonly control: number,
    packs: readonly number[],
  ) {
    this.words = new Int32Array(memory.buffer, control, CONTROL_WORDS);
    try {
      for (const [i, pack] of packs.entries()) {
        const helper = spawnHelper();
        // Every share must have its helper: the shares are fixed by the count.
        if (!helper) throw new Error('no helper thread');
        this.helpers.push(helper);
        helper.post({ module, memory, control, index: i + 1, count: packs.length + 1, pack });
      }
    } catch {
      // A helper that cannot start (none here, a browser's policy, a memory it may not share): one thread, as without shared memory.
      this.dispose();
    }
  }

  /** Every helper has started (until then products run on the calling thread alone). */
  get ready(): boolean {
    return this.helpers.length > 0 && Atomics.load(this.words, READY) === this.helpers.length;
  }

  /** Runs the operation whose code and arguments are `args` (kernels.wat, share) on every thread, and returns when all are done. */
  run(args: readonly number[], runShare: (args: number, index: number, count: number) => void): void {
    this.meetings++;
    this.words.set(args, ARGS);
    Atomics.store(this.words, PENDING, this.helpers.length);
    Atomics.add(this.words, GENERATION, 1);
    Atomics.notify(this.words, GENERATION);
    runShare(this.control + 4 * ARGS, 0, this.helpers.length + 1);
    for (let pending; (pending = Atomics.load(this.words, PENDING)) !== 0; ) Atomics.wait(this.words, PENDING, pending);
  }

  dispose(): void {
    Atomics.store(this.words, STOP, 1);
    Atomics.add(this.words, GENERATION, 1);
    Atomics.notify(this.words, GENERATION);
    this.helpers.forEach((helper) => helper.terminate());
    this.helpers.length = 0;
  }
}
