/** The training engine in a Web Worker: config in, snapshots out. The page never trains on its thread. */
import * as Comlink from 'comlink';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendName, type BackendReport } from '../core/backend';
import { parseExperiment } from '../core/config/validate';
import type { LayerParams } from '../core/models/mlp';
import { Session } from '../core/train/session';
import type { ExperimentConfig } from '../core/config/schema';
import type { AdvanceReply, EngineApi, Loaded } from './protocol';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

let session: Session | null = null;
let config: ExperimentConfig | null = null;
let backend: BackendReport | null = null;
/** On a GPU backend, the weights at the last snapshot, to continue elsewhere if the device is lost. */
let checkpoint: { step: number; params: LayerParams[] } | null = null;

async function keepCheckpoint(): Promise<void> {
  if (session && backend && GPU_BACKENDS.includes(backend.name)) {
    checkpoint = { step: session.step, params: await session.readParams() };
  }
}

async function recoverFromLostDevice(error: unknown): Promise<AdvanceReply['recovered']> {
  if (!config || !backend || !GPU_BACKENDS.includes(backend.name)) throw error;
  const lost = backend.name;
  try {
    session?.dispose();
  } catch {
    // The lost device cannot free its buffers; nothing to do.
  }
  backend = await selectBackend('auto', GPU_BACKENDS);
  const from = checkpoint ?? { step: 0, params: undefined };
  session = new Session(config, { initialParams: from.params, startStep: from.step });
  checkpoint = null;
  return {
    backend,
    message: `${lost} failed (${(error as Error).message}); continued on ${backend.name} from step ${from.step} with the weights of that step and a fresh optimizer state`,
  };
}

const api: EngineApi = {
  async load(input) {
    const next = parseExperiment(input);
    session?.dispose();
    session = null;
    if (!backend || backend.requested !== next.backend) backend = await selectBackend(next.backend);
    config = next;
    session = new Session(next);
    const snapshot = await session.snapshot();
    await keepCheckpoint();
    return { backend, info: session.info, snapshot } satisfies Loaded;
  },

  async advance(steps) {
    if (!session) throw new Error('no experiment loaded');
    try {
      const result = await session.advance(steps);
      if (result.status !== 'diverged') await keepCheckpoint();
      return { result };
    } catch (error) {
      const recovered = await recoverFromLostDevice(error);
      return { result: { status: 'running', snapshot: await session.snapshot() }, recovered };
    }
  },

  async reset() {
    if (!session) throw new Error('no experiment loaded');
    session.reset();
    await keepCheckpoint();
    return session.snapshot();
  },

  dispose() {
    session?.dispose();
    session = null;
  },
};

Comlink.expose(api);
