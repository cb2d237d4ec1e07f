/**
 * The anchor page's transformer (experiments/anchor.json) against the same model in PyTorch (anchor_reference.py),
 * one thread each, on this CPU: steps per CPU-second on each tfjs backend that runs in Node, one run each; and the time
 * to phenomenon in Chromium. `npm run bench -- --anchor` (the full bench prints it too).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { BackendName } from '../../src/core/backend';
import { parseFor } from '../../src/phenomena/engine';
import { anchor } from '../../src/phenomena/anchor';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';
import { PYTHON, TORCH_ENV } from './collapse';
import { buildAndServe, launchChromium, openPage, waitForStatus } from '../support/browser';

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

/**
 * Seconds from opening the anchor page (WASM) to the identity task's phenomenon, as a student gets there: key 3, Space,
 * until both runs answer held-out keys (≥ 0.9) and their last position looks at the key (≥ 0.9), and the step it took.
 * The composition task has no such time: its quick setting does not split (README).
 */
async function identityInBrowser(): Promise<{ seconds: number; step: number }> {
  const served = await buildAndServe();
  const browser = await launchChromium();
  try {
    const start = performance.now();
    const { page } = await openPage(browser, `${served.url}?backend=wasm#/anchor`);
    await waitForStatus(page, 'paused', 120_000);
    await page.keyboard.press('3');
    // The preset's runs loaded (their identity chips drawn) and ready: the status alone is 'paused' before they load too.
    await page.waitForFunction(
      () => /seen keys/.test(document.querySelector('[data-testid=verdict-b]')?.textContent ?? '') && document.querySelector('[data-testid=status]')?.textContent === 'paused',
      null,
      { timeout: 120_000 },
    );
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () =>
        ['a', 'b'].every((run) => {
          const chip = document.querySelector(`[data-testid=verdict-${run}]`);
          return Number(chip?.getAttribute('data-unseen-keys') ?? Number.NaN) >= 0.9 && Number(chip?.getAttribute('data-broadcast') ?? Number.NaN) >= 0.9;
        }),
      null,
      { timeout: 600_000, polling: 100 },
    );
    const seconds = (performance.now() - start) / 1000;
    return { seconds, step: Number(await page.textContent('[data-testid=step]')) };
  } finally {
    await browser.close();
    await served.close();
  }
}

export async function anchorAgainstPyTorch(steps = 200): Promise<void> {
  const rates = { wasm: await oursOn('wasm', steps), cpu: await oursOn('cpu', Math.max(5, steps / 10)) };
  const torch = theirs(steps);
  console.log(`\nAnchor functions, the page's quick transformer (d 32, 2 layers, batch 128; tape and AdamW), one thread each, one run (load average ${os.loadavg()[0].toFixed(1)}):`);
  console.log(`  PyTorch ${torch.torch}: ${torch.perCpuSecond.toFixed(1)} steps per CPU-second`);
  for (const [backend, rate] of Object.entries(rates)) console.log(`  ours, node, ${backend}: ${rate.toFixed(1)} steps per CPU-second (${(rate / torch.perCpuSecond).toFixed(2)}× PyTorch)`);
  const identity = await identityInBrowser();
  console.log(`  time to phenomenon (Chromium, wasm, key 3, the identity task): ${identity.seconds.toFixed(1)} s from opening the page to both runs answering held-out keys (≥ 0.9) with the last position on the key (≥ 0.9), at step ${identity.step}`);
}
