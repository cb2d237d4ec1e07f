/**
 * The neural-collapse run against PyTorch (collapse_reference.py) from the same data and initial weights.
 *
 *   npx tsx tests/bench/collapse.ts compare [steps] [path=value …]   the loss and weights step by step
 *   (npm run bench -- --collapse times the page's run against the same run in PyTorch)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyAssignments } from '../../src/core/config/overrides';
import { gaussianClasses } from '../../src/core/data/gaussianClasses';
import { mlpFromNamed } from '../../src/core/models/mlpSpec';
import { COLLAPSE } from '../../src/core/probes/collapse';
import type { RunSession } from '../../src/core/run/types';
import { parseFor } from '../../src/phenomena/engine';
import { neuralCollapse } from '../../src/phenomena/neural-collapse';
import type { CollapseConfig } from '../../src/phenomena/neural-collapse/schema';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';

export const collapseConfig = (...assignments: string[]): CollapseConfig =>
  parseFor(neuralCollapse, applyAssignments(experimentFile('neural-collapse.json'), ['lpm.ratios=[1]', ...assignments]));

/** The run's data, initial weights and training settings as collapse_reference.py reads them; returns the file. */
export async function writeReplay(config: CollapseConfig, session: RunSession): Promise<string> {
  const { train } = gaussianClasses({ ...config.data, ...config.imbalance }, config.seed);
  const layers = (mlpFromNamed(await session.readParams()) ?? []).map((l) => ({ fanIn: l.fanIn, fanOut: l.fanOut, weights: Array.from(l.weights), bias: Array.from(l.bias) }));
  const { lr, momentum, weightDecay, lrDrops, steps } = config.train;
  const file = path.join(os.tmpdir(), `collapse-replay-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ x: Array.from(train.x), labels: Array.from(train.labels), layers, train: { lr, momentum, wd: weightDecay, drops: lrDrops, steps } }));
  return file;
}

export const PYTHON = '/usr/bin/python3';
export const TORCH_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

async function compare(steps: number, assignments: string[]): Promise<void> {
  await useBackend('wasm');
  const config = collapseConfig(`train.steps=${steps}`, `train.snapshotEvery=${steps}`, ...assignments);
  const session = await startRun(config as never);
  const file = await writeReplay(config, session);
  const torch = spawnSync(PYTHON, ['tests/bench/collapse_reference.py', 'replay', file], { env: TORCH_ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (torch.status !== 0) throw new Error(torch.stderr);
  const theirs = JSON.parse(torch.stdout) as { losses: number[]; layers: { weights: number[]; bias: number[] }[] };
  const ours: number[] = [];
  for (let k = 0; k < steps; k++) ours.push((await advanceTo(session, 1)).loss);
  const mine = mlpFromNamed(await session.readParams()) ?? [];
  session.dispose();
  console.log(`loss after each step (ours = the snapshot's, PyTorch = before its next step):`);
  for (let k = 0; k < Math.min(steps - 1, 10); k++) console.log(`${k + 1}`.padStart(5), ours[k].toPrecision(7), theirs.losses[k + 1].toPrecision(7));
  mine.forEach((layer, i) => {
    const diff = (a: ArrayLike<number>, b: number[]) => Math.max(...Array.from(a, (v, j) => Math.abs(v - b[j])));
    const scale = Math.max(...Array.from(layer.weights, Math.abs));
    console.log(`layer ${i}: max |Δweights| ${diff(layer.weights, theirs.layers[i].weights).toExponential(2)} (largest weight ${scale.toFixed(3)}), max |Δbias| ${diff(layer.bias, theirs.layers[i].bias).toExponential(2)}`);
  });
}

/**
 * The page's run (experiments/neural-collapse.json, run A: tape on wasm, a snapshot with every probe each
 * `snapshotEvery` steps) against the same training in PyTorch, one thread, from the same data and weights:
 * one run each, seconds of CPU and of wall clock, and the final measures side by side.
 */
export async function collapseAgainstPyTorch(): Promise<void> {
  await useBackend('wasm');
  const config = collapseConfig();
  const session = await startRun(config as never);
  const file = await writeReplay(config, session);
  const [wall, cpu] = [performance.now(), process.cpuUsage()];
  let last = null;
  while (!session.finished) last = await advanceTo(session, config.train.snapshotEvery);
  const used = process.cpuUsage(cpu);
  const ours = { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  session.dispose();
  const torch = spawnSync(PYTHON, ['tests/bench/collapse_reference.py', 'time', file], { env: TORCH_ENV, encoding: 'utf8' });
  if (torch.status !== 0) throw new Error(torch.stderr);
  const theirs = JSON.parse(torch.stdout) as { torch: string; steps: number; cpu_s: number; wall_s: number };
  const m = last && COLLAPSE.of(last);
  console.log(`\nNeural collapse, the page's run A (32-${config.model.widths.join('-')}-${config.data.classes} ReLU, ${config.data.classes} × ${config.data.perClass} points, SGD with momentum and weight decay on the CPU step, ${config.train.steps} steps), one run each (load average ${os.loadavg()[0].toFixed(1)}):`);
  console.log(`  ours (node, wasm, a snapshot every ${config.train.snapshotEvery} steps): ${ours.cpu.toFixed(1)} s CPU, ${ours.wall.toFixed(1)} s wall, ${(config.train.steps / ours.cpu).toFixed(0)} steps per CPU-second${m ? ` (NC1 ${m.nc1.toFixed(4)}, classifier cos ${m.classifierCosine.toFixed(4)}, NC4 ${m.nc4})` : ''}`);
  console.log(`  PyTorch ${theirs.torch}, 1 thread, training alone: ${theirs.cpu_s.toFixed(1)} s CPU, ${theirs.wall_s.toFixed(1)} s wall, ${(theirs.steps / theirs.cpu_s).toFixed(0)} steps per CPU-second; ours takes ${(ours.cpu / theirs.cpu_s).toFixed(1)}× its CPU time`);
}

if (process.argv[2] === 'compare') await compare(Number(process.argv[3] ?? 10), process.argv.slice(4));
