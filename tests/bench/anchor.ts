/**
 * The anchor page's transformer (experiments/anchor.json) against the same model in PyTorch (anchor_reference.py),
 * one thread each, on this CPU: steps per CPU-second on each tfjs backend that runs in Node, one run each.
 * `npm run bench -- --anchor` (the full bench prints it too).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { BackendName } from '../../src/core/backend';
import { parseFor } from '../../src/phenomena/engine';
import { anchor } from '../../src/phenomena/anchor';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';
import { PYTHON, TORCH_ENV } from './collapse';

/** Steps per CPU-second of `steps` steps of the quick config on `backend`, a snapshot (every test sequence) at the end, as PyTorch's run has. */
async function oursOn(backend: BackendName, steps: number): Promise<number> {
  await useBackend(backend);
  const config = parseFor(anchor, experimentFile('anchor.json'));
  const session = await startRun(config as never);
  await advanceTo(session, 1); // tfjs' first step builds its kernels: not the model's cost
  const cpu = process.cpuUsage();
  await advanceTo(session, steps);
  const used = process.cpuUsage(cpu);
  session.dispose();
  return steps / ((used.user + used.system) / 1e6);
}

/** The same model and batch size in PyTorch's search mode (one network), timed in CPU seconds by Python itself. */
function theirs(steps: number): { torch: string; perCpuSecond: number } {
  const c = (experimentFile('anchor.json') as { model: { dModel: number; dFeedForward: number; dK: number; layers: number; init: { gamma: number } }; train: Record<string, number> });
  const args = [`--d`, `${c.model.dModel}`, `--dff`, `${c.model.dFeedForward}`, `--dk`, `${c.model.dK}`, `--layers`, `${c.model.layers}`, `--gamma`, `${c.model.init.gamma}`, `--batch`, `${c.train.batch}`, `--lr`, `${c.train.lr}`, `--wd`, `${c.train.weightDecay}`, `--steps`, `${steps}`, `--every`, `${steps}`];
  const script = `import sys, time, torch; sys.argv = ['anchor_reference.py', *sys.argv[1:]]; sys.path.insert(0, 'tests/bench'); import anchor_reference as r; t = time.process_time(); r.main(); print('CPU', time.process_time() - t, torch.__version__)`;
  const run = spawnSync(PYTHON, ['-c', script, ...args], { env: TORCH_ENV, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const [, seconds, version] = /CPU (\S+) (\S+)/.exec(run.stdout) ?? [];
  return { torch: version, perCpuSecond: steps / Number(seconds) };
}

export async function anchorAgainstPyTorch(steps = 200): Promise<void> {
  const rates = { wasm: await oursOn('wasm', steps), cpu: await oursOn('cpu', Math.max(5, steps / 10)) };
  const torch = theirs(steps);
  console.log(`\nAnchor functions, the page's quick transformer (d 32, 2 layers, batch 128; tape and AdamW), one thread each, one run (load average ${os.loadavg()[0].toFixed(1)}):`);
  console.log(`  PyTorch ${torch.torch}: ${torch.perCpuSecond.toFixed(1)} steps per CPU-second`);
  for (const [backend, rate] of Object.entries(rates)) console.log(`  ours, node, ${backend}: ${rate.toFixed(1)} steps per CPU-second (${(rate / torch.perCpuSecond).toFixed(2)}× PyTorch)`);
}
