/**
 * A page for the bench and the browser tests (served by Vite's dev server, never part of the app): trains the
 * canonical network on WebGPU, counting the compute dispatches tfjs records per training step, and returns the
 * loss after each step. `tape`: tfjs' own gradients and Adam instead of ours. Also tf.tanh on a GPU backend, and
 * the anchor page's transformer trained a few steps on a given backend.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/core/backend';
import { buildFit } from '../../../src/phenomena/fit/build';
import { parseFor } from '../../../src/phenomena/engine';
import { fprinciple1d } from '../../../src/phenomena/fprinciple-1d';
import type { ActivationName } from '../../../src/core/models/activations';
import experiment from '../../../experiments/fprinciple-1d.json';
import anchorExperiment from '../../../experiments/anchor.json';
import { anchor } from '../../../src/phenomena/anchor';
import { AnchorRun } from '../../../src/phenomena/anchor/build';

export interface WebGpuProbe {
  backend: string;
  /** Which training path the session took. */
  path: string;
  dispatchesPerStep: number;
  stepsPerSecond: number;
  losses: number[];
}

async function measure(steps: number, tape: boolean, activation: ActivationName = 'tanh'): Promise<WebGpuProbe> {
  const report = await selectBackend('webgpu');
  const backend = tf.backend() as unknown as { recordAndSubmit: (...args: unknown[]) => void };
  let dispatches = 0;
  const record = backend.recordAndSubmit.bind(backend);
  backend.recordAndSubmit = (...args) => {
    dispatches++;
    record(...args);
  };
  const config = { ...experiment, model: { ...experiment.model, activation }, train: { ...experiment.train, steps: 1_000_000 } };
  const session = buildFit(parseFor(fprinciple1d, config), { tape });
  const losses: number[] = [];
  // Chunks of one step then two: the difference of their dispatches is one step's, without the snapshot's.
  const chunk = async (n: number) => {
    dispatches = 0;
    const result = await session.advance(n);
    if (result.status === 'diverged') throw new Error(result.message);
    losses.push(result.snapshot.loss);
    return dispatches;
  };
  const perStep = (await chunk(2)) - (await chunk(1));
  const path = session.trainingPath;
  const start = performance.now();
  while (session.step < steps) await chunk(1);
  const stepsPerSecond = (steps - 3) / ((performance.now() - start) / 1000);
  session.dispose();
  backend.recordAndSubmit = record;
  return { backend: report.name, path, dispatchesPerStep: perStep, stepsPerSecond, losses };
}

/** tf.tanh of `values` on `backend` (the backend that really ran, and the results). */
async function tanhOn(backend: 'webgpu' | 'webgl', values: number[]): Promise<{ backend: string; results: number[] }> {
  const report = await selectBackend(backend);
  const input = tf.tensor1d(values);
  const output = tf.tanh(input);
  const results = Array.from(await output.data());
  tf.dispose([input, output]);
  return { backend: report.name, results };
}

/** The anchor page's quick transformer (batch 16) from its seeded weights and batches, `steps` steps on `backend`: the test loss after each. */
async function anchorLosses(backend: 'webgpu' | 'cpu', steps: number): Promise<{ backend: string; losses: number[] }> {
  const report = await selectBackend(backend);
  // A small batch and test set: SwiftShader emulates the GPU at a few steps a second.
  const config = parseFor(anchor, { ...anchorExperiment, train: { ...anchorExperiment.train, batch: 16 }, analysis: { perPair: 2 } });
  const run = new AnchorRun(config);
  const losses: number[] = [(await run.snapshot()).loss];
  for (let i = 0; i < steps; i++) {
    const result = await run.advance(1);
    if (result.status === 'diverged') throw new Error(result.message);
    losses.push(result.snapshot.loss);
  }
  run.dispose();
  return { backend: report.name, losses };
}

Object.assign(window, { measure, tanhOn, anchorLosses });
document.body.dataset.ready = 'true';
