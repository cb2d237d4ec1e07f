/**
 * The anchor page's transformers (experiments/anchor.json, the quick setting; experiments/anchor-wide.json, key 5)
 * against the same models in PyTorch (anchor_reference.py), one thread each, on this CPU: steps per CPU-second on each
 * tfjs backend that runs in Node, one run each; and the time to phenomenon in Chromium. `npm run bench -- --anchor`
 * (the full bench prints it too).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { Page } from 'playwright-core';
import type { BackendName } from '../../src/core/backend';
import { parseFor } from '../../src/phenomena/engine';
import { anchor } from '../../src/phenomena/anchor';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';
import { PYTHON, TORCH_ENV } from './collapse';
import { buildAndServe, launchChromium, openPage, waitForStatus } from '../support/browser';

/** The experiment file each timed preset key loads. */
const PRESET_FILES: Record<string, string> = { '3': 'anchor-identity.json', '5': 'anchor-wide.json' };

type AnchorFile = { model: { dModel: number; dFeedForward: number; dK: number; layers: number; norm: string; init: { gamma: number } }; train: Record<string, number> };

/** Steps per CPU-second of `steps` steps of `file`'s config on `backend`, a snapshot (every test sequence) at the end, as PyTorch's run has. */
async function oursOn(file: string, backend: BackendName, steps: number): Promise<number> {
  await useBackend(backend);
  const config = parseFor(anchor, experimentFile(file));
  const session = await startRun(config as never);
  await advanceTo(session, 1); // tfjs' first step builds its kernels: not the model's cost
  const cpu = process.cpuUsage();
  await advanceTo(session, steps);
  const used = process.cpuUsage(cpu);
  session.dispose();
  return steps / ((used.user + used.system) / 1e6);
}

/** The same model and batch size in PyTorch's search mode (one network), timed in CPU seconds by Python itself. */
function theirs(file: string, steps: number): { torch: string; perCpuSecond: number } {
  const c = experimentFile(file) as AnchorFile;
  const args = [`--d`, `${c.model.dModel}`, `--dff`, `${c.model.dFeedForward}`, `--dk`, `${c.model.dK}`, `--layers`, `${c.model.layers}`, `--norm`, c.model.norm, `--gamma`, `${c.model.init.gamma}`, `--batch`, `${c.train.batch}`, `--lr`, `${c.train.lr}`, `--wd`, `${c.train.weightDecay}`, `--steps`, `${steps}`, `--every`, `${steps}`];
  const script = `import sys, time, torch; sys.argv = ['anchor_reference.py', *sys.argv[1:]]; sys.path.insert(0, 'tests/bench'); import anchor_reference as r; t = time.process_time(); r.main(); print('CPU', time.process_time() - t, torch.__version__)`;
  const run = spawnSync(PYTHON, ['-c', script, ...args], { env: TORCH_ENV, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const [, seconds, version] = /CPU (\S+) (\S+)/.exec(run.stdout) ?? [];
  return { torch: version, perCpuSecond: steps / Number(seconds) };
}

/** Both runs' chips (A's and B's) carry `attributes` at least `floors` (each chip its own floor per attribute). */
function chipsReach(page: Page, floors: Record<'a' | 'b', Record<string, number>>) {
  return page.waitForFunction(
    (want) =>
      Object.entries(want).every(([run, attributes]) => {
        const chip = document.querySelector(`[data-testid=verdict-${run}]`);
        return Object.entries(attributes).every(([name, floor]) => Number(chip?.getAttribute(`data-${name}`) ?? Number.NaN) >= floor);
      }),
    floors,
    { timeout: 1_200_000, polling: 250 },
  );
}

/**
 * Seconds from opening the anchor page (WASM) to a preset's phenomenon, as a student gets there: the preset's key,
 * Space, until both runs' chips reach `floors`; and the step it took.
 */
async function timeToPhenomenon(key: string, floors: Record<'a' | 'b', Record<string, number>>): Promise<{ seconds: number; step: number }> {
  const served = await buildAndServe();
  const browser = await launchChromium();
  try {
    const start = performance.now();
    const { page } = await openPage(browser, `${served.url}?backend=wasm#/anchor`);
    await waitForStatus(page, 'paused', 120_000);
    await page.keyboard.press(key);
    // The preset's runs loaded (their config's total drawn) and ready: the status alone is 'paused' before they load too.
    const total = (experimentFile(PRESET_FILES[key]) as AnchorFile).train.steps;
    await page.waitForFunction((steps) => document.querySelector('[data-testid=total]')?.textContent === String(steps) && document.querySelector('[data-testid=status]')?.textContent === 'paused', total, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await chipsReach(page, floors);
    const seconds = (performance.now() - start) / 1000;
    return { seconds, step: Number(await page.textContent('[data-testid=step]')) };
  } finally {
    await browser.close();
    await served.close();
  }
}

export async function anchorAgainstPyTorch(steps = 200): Promise<void> {
  for (const [file, label, cpuSteps] of [
    ['anchor.json', "the page's quick transformer (d 32, 2 layers, batch 128)", Math.max(5, steps / 10)],
    ['anchor-wide.json', 'key 5 (d 128, 2 pre-LN layers, batch 128)', 0],
  ] as const) {
    const size = file === 'anchor.json' ? steps : steps / 4;
    const rates: Record<string, number> = { wasm: await oursOn(file, 'wasm', size) };
    if (cpuSteps > 0) rates.cpu = await oursOn(file, 'cpu', cpuSteps);
    const torch = theirs(file, size);
    console.log(`\nAnchor functions, ${label}, tape and AdamW, one thread each, one run of ${size} steps (load average ${os.loadavg()[0].toFixed(1)}):`);
    console.log(`  PyTorch ${torch.torch}: ${torch.perCpuSecond.toFixed(1)} steps per CPU-second`);
    for (const [backend, rate] of Object.entries(rates)) console.log(`  ours, node, ${backend}: ${rate.toFixed(1)} steps per CPU-second (${(rate / torch.perCpuSecond).toFixed(2)}× PyTorch)`);
  }
  const identity = await timeToPhenomenon('3', { a: { 'unseen-keys': 0.9, broadcast: 0.9 }, b: { 'unseen-keys': 0.9, broadcast: 0.9 } });
  console.log(`  time to phenomenon (Chromium, wasm, key 3, the identity task): ${identity.seconds.toFixed(1)} s from opening the page to both runs answering held-out keys (≥ 0.9) with the last position on the key (≥ 0.9), at step ${identity.step}`);
  const split = await timeToPhenomenon('5', { a: { seen: 0.9, inferential: 0.8 }, b: { seen: 0.9, symmetric: 0.8 } });
  console.log(`  time to phenomenon (Chromium, wasm, key 5, the split): ${split.seconds.toFixed(1)} s from opening the page to A (γ = 0.8) answering (4, 3) inferentially and B (γ = 0.5) symmetrically (≥ 0.8 each, seen ≥ 0.9), at step ${split.step}`);
}
