/**
 * Chooses the tfjs backend: webgpu → webgl → wasm → cpu, or the one a config names, and reports which one
 * runs and why the faster ones did not. 'auto' passes over a GPU backend that a software renderer runs
 * (SwiftShader, llvmpipe: what Chromium offers on a machine without a GPU), which trains at 1-10 steps/s where
 * WASM trains at hundreds; asked for by name, it is used.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { chooseByMeasurement, choiceKey, describeChoice, type ChoiceStore } from './autoChoice';
import type { BackendPreference } from './config/schema';
import { useAccurateTanh } from './train/accurateTanh';
import { availableThreads } from './train/threads';
import { hasRelaxedSimd } from './train/wasmKernels';
import { useUntransposedWasmMatMul } from './train/wasmMatMul';

useAccurateTanh();
useUntransposedWasmMatMul();

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

/** What 'auto' by measurement times: the page's model, and what a step of it costs (its size class). */
export interface MeasuredModel {
  phenomenon: string;
  cost: { parameters: number; points: number };
  /** Steps per second of the model on the backend now set. */
  measure(name: BackendName): Promise<number>;
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

/** What 'auto' learns of the GPU behind WebGPU and WebGL before trying them (injectable for tests). */
export interface GpuProbes {
  /** The adapter tfjs' WebGPU backend would get: whether the browser calls it a fallback one, and its names; null: none. */
  webgpuAdapter(): Promise<{ isFallbackAdapter: boolean; names: string } | null>;
  /** WebGL's renderer, unmasked where the browser allows; null: no context. */
  webglRenderer(): string | null;
}

/** Software renderers: Chromium's SwiftShader, Mesa's llvmpipe and softpipe, Windows' Basic Render Driver. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|basic render driver/i;

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface Adapter {
  isFallbackAdapter?: boolean;
  info?: AdapterInfo;
  requestAdapterInfo?(): Promise<AdapterInfo>;
}

const browserGpuProbes: GpuProbes = {
  async webgpuAdapter() {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(options: object): Promise<Adapter | null> } } | undefined)?.gpu;
    // The same request as tfjs' WebGPU backend makes.
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    // `info` since Chrome 127, requestAdapterInfo() before it.
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const names = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
    return { isFallbackAdapter: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter), names };
  },
  webglRenderer() {
    // Training runs in a worker, which has OffscreenCanvas but no document.
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : typeof document !== 'undefined' ? document.createElement('canvas') : null;
    const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl') ?? null) as WebGLRenderingContext | null;
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  },
};

/** Why 'auto' should not take this backend: it runs on a software renderer; null: it may be tried. */
async function softwareRenderer(name: BackendName, probes: GpuProbes): Promise<string | null> {
  if (name === 'webgpu') {
    const adapter = await probes.webgpuAdapter().catch(() => null);
    const names = adapter?.names ? ` (${adapter.names})` : '';
    if (adapter?.isFallbackAdapter || SOFTWARE_RENDERER.test(adapter?.names ?? '')) return `software adapter${names}, slower than the CPU`;
  }
  if (name === 'webgl') {
    const renderer = probes.webglRenderer();
    if (renderer && SOFTWARE_RENDERER.test(renderer)) return `software renderer (${renderer}), slower than the CPU`;
  }
  return null;
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
  if (name === 'wasm' || name === 'cpu') {
    const { count, why } = availableThreads();
    const fused = hasRelaxedSimd() ? ', with fused multiply-adds (relaxed SIMD)' : '';
    notes.push(count > 1 ? `Our CPU step's large products on ${count} threads${fused}.` : `Our CPU step on one thread${fused}: ${why}.`);
  }
  return notes;
}

/** This device as 'auto' remembers it: its GPU adapter and renderer, its cores and whether the step may use them. */
async function deviceName(probes: GpuProbes): Promise<string> {
  const adapter = await probes.webgpuAdapter().catch(() => null);
  return [adapter?.names ?? 'no WebGPU', probes.webglRenderer() ?? 'no WebGL', `${availableThreads().count} threads`].join(' / ');
}

/**
 * 'auto' by measurement (autoChoice.ts): the remembered choice for this device and size of model, else the
 * fastest of the backends timed on the model now; a software GPU is never timed. Throws what the model threw
 * where no backend could run it.
 */
export async function selectMeasured(model: MeasuredModel, store: ChoiceStore, probes: GpuProbes = browserGpuProbes): Promise<BackendReport> {
  const key = choiceKey(await deviceName(probes), model.phenomenon, model.cost);
  const { choice, remembered } = await chooseByMeasurement(
    { candidates: BACKEND_ORDER, software: (name) => softwareRenderer(name, probes), start: tryBackend, measure: (name) => model.measure(name) },
    store,
    key,
  );
  const skipped = choice.passedOver.map(({ name, why }) => ({ name, error: why }));
  return { name: choice.name, requested: 'auto', reason: describeChoice(choice, remembered), skipped, notes: notesFor(choice.name) };
}

/** Selects and initializes a backend; throws only when not even the CPU backend starts. */
export async function selectBackend(requested: BackendPreference, exclude: readonly BackendName[] = [], probes: GpuProbes = browserGpuProbes): Promise<BackendReport> {
  const start = requested === 'auto' ? 0 : BACKEND_ORDER.indexOf(requested);
  const candidates = BACKEND_ORDER.slice(start).filter((name) => !exclude.includes(name));
  const skipped: BackendReport['skipped'] = [];
  for (const name of candidates) {
    const error = (requested === 'auto' ? await softwareRenderer(name, probes) : null) ?? (await tryBackend(name));
    if (error === null) {
      const because = skipped.map((s) => `${s.name}: ${s.error}`).join('; ');
      const how = requested === 'auto' ? 'fastest available' : requested === name ? 'as requested' : `fallback for ${requested}`;
      return { name, requested, reason: because ? `${name} (${how}) — ${because}` : `${name} (${how})`, skipped, notes: notesFor(name) };
    }
    skipped.push({ name, error });
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}`);
}
