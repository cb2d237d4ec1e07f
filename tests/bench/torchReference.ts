/**
 * PyTorch CPU on one thread as the bench's reference: torch_reference.py in a child process that trains the
 * reference networks (reference.ts) on request, so its timings interleave with ours in one run. It reports the
 * BLAS it runs on; a ratio to PyTorch on the reference BLAS (3.5 GFLOP/s, which no PyTorch wheel ships) is
 * flattering, and the bench says so wherever it prints one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface TorchInfo {
  torch: string;
  threads: number;
  blas: { name: string; optimized: boolean; core: string | null; config: string | null; path: string };
}

const PYTHON = '/usr/bin/python3';

/** One thread, and on an AVX-512 CPU OpenBLAS' SkylakeX kernels unless told otherwise: Debian's 0.3.21 does not know every newer CPU and can fall back to SSE3 code. */
function torchEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const avx512 = existsSync('/proc/cpuinfo') && /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  if (avx512 && !env.OPENBLAS_CORETYPE) env.OPENBLAS_CORETYPE = 'SkylakeX';
  return env;
}

export class TorchReference {
  private constructor(
    readonly info: TorchInfo,
    private readonly send: (line: string) => void,
    private readonly next: () => Promise<string>,
    readonly close: () => void,
  ) {}

  /** The reference, or null where Debian's python3-torch is missing. */
  static async start(): Promise<TorchReference | null> {
    if (!existsSync(PYTHON)) return null;
    const child = spawn(PYTHON, ['tests/bench/torch_reference.py', 'serve'], { env: torchEnvironment(), stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error('torch_reference.py ended');
      return value as string;
    };
    try {
      const info = JSON.parse(await next()) as TorchInfo;
      return new TorchReference(info, (line) => child.stdin.write(`${line}\n`), next, () => child.kill());
    } catch {
      child.kill();
      return null;
    }
  }

  /** Seconds of CPU and of wall clock for `steps` steps (after a warm-up the first time a network is asked for). */
  async train(width: number, points: number, steps: number): Promise<{ cpuSeconds: number; wallSeconds: number }> {
    this.send(JSON.stringify({ width, points, steps }));
    const { cpu_s, wall_s } = JSON.parse(await this.next()) as { cpu_s: number; wall_s: number };
    return { cpuSeconds: cpu_s, wallSeconds: wall_s };
  }

  /** Seconds of CPU for `rounds` rounds of the products [m, k, n, transposeA] (a transposed left operand is a view of a [k, m] tensor). */
  async products(shapes: readonly (readonly [number, number, number, boolean])[], rounds: number): Promise<{ cpuSeconds: number }> {
    this.send(JSON.stringify({ products: shapes, rounds }));
    const { cpu_s } = JSON.parse(await this.next()) as { cpu_s: number };
    return { cpuSeconds: cpu_s };
  }

  /** What PyTorch runs on, in one line; a warning in capitals where it is not an optimized BLAS. */
  describe(): string {
    const { torch, threads, blas } = this.info;
    const what = blas.optimized ? `${blas.name}${blas.core ? `, core type ${blas.core}` : ''}${blas.config ? ` (${blas.config})` : ''}` : `${blas.name.toUpperCase()} (NOT OPTIMIZED: ratios to it flatter us; apt-get install libopenblas0-pthread)`;
    return `PyTorch ${torch}, ${threads} thread, on ${what} (${blas.path})`;
  }

  /** The ratio column's heading. */
  get ratioHeading(): string {
    return this.info.blas.optimized ? '× PyTorch' : '× PyTorch+refBLAS';
  }
}
