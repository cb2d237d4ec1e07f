/**
 * Chooses the tfjs backend: webgpu → webgl → wasm → cpu, or the one a config names, and reports which one
 * runs and why the faster ones did not.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendPreference } from './config/schema';
import { useAccurateTanh } from './train/accurateTanh';

useAccurateTanh();

export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendReport {
  name: BackendName;
  requested: BackendPreference;
  /** One line for the interface: what runs, and why not the faster ones. */
  reason: string;
  /** Faster backends that were tried and failed, with the error. */
  skipped: { name: BackendName; error: string }[];
  /** Precision or placement facts worth knowing (half-precision WebGL, CPU forwarding). */
  notes: string[];
}

async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && !(globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) {
    return 'navigator.gpu is missing (no WebGPU in this environment)';
  }
  if (name === 'webgpu') {
    // Small tensors otherwise run on the CPU; we want the work where we say it is.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return 'initialization failed';
    await tf.ready();
    // Make sure it really computes (a lost or software-blocked adapter can fail only here).
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await probe.data())[0];
    probe.dispose();
    return value === 3 ? null : 'computes wrong values';
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

function notesFor(name: BackendName): string[] {
  const notes: string[] = [];
  if (name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) {
    notes.push('WebGL has no float32 render targets here: half precision distorts very small initializations.');
  }
  if (name === 'wasm') {
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    notes.push(`WASM ${simd ? 'with' : 'without'} SIMD, ${threads ? 'multi-threaded' : 'single-threaded'}.`);
  }
  return notes;
}

/** Selects and initializes a backend; throws only when not even the CPU backend starts. */
export async function selectBackend(requested: BackendPreference, exclude: readonly BackendName[] = []): Promise<BackendReport> {
  const start = requested === 'auto' ? 0 : BACKEND_ORDER.indexOf(requested);
  const candidates = BACKEND_ORDER.slice(start).filter((name) => !exclude.includes(name));
  const skipped: BackendReport['skipped'] = [];
  for (const name of candidates) {
    const error = await tryBackend(name);
    if (error === null) {
      const because = skipped.map((s) => `${s.name}: ${s.error}`).join('; ');
      const how = requested === 'auto' ? 'fastest available' : requested === name ? 'as requested' : `fallback for ${requested}`;
      return { name, requested, reason: because ? `${name} (${how}) — ${because}` : `${name} (${how})`, skipped, notes: notesFor(name) };
    }
    skipped.push({ name, error });
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}`);
}
