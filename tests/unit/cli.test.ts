import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = ['--import', 'tsx', 'src/cli/experiment.ts'];

describe('headless runner', () => {
  it('trains with overrides and writes config, backend and snapshots', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pe-')), 'run.json');
    await run('node', [...cli, 'experiments/fprinciple-1d.json', '--steps', '40', '--set', 'model.widths=[32,32]', '--set', 'data.target=sin(2*x)', '--set', 'train.snapshotEvery=20', '--backend', 'wasm', '--out', out]);
    const record = JSON.parse(readFileSync(out, 'utf8'));
    expect(record.backend).toBe('wasm');
    expect(record.config.model.widths).toEqual([32, 32]);
    expect(record.config.data.target).toBe('sin(2*x)');
    expect(record.snapshots.map((s: { step: number }) => s.step)).toEqual([0, 20, 40]);
    const last = record.snapshots[2];
    expect(last.metrics.frequency.k).toEqual([2]);
    expect(last.metrics.frequency.relError[0]).toBeTypeOf('number');
    expect(last.loss).toBeLessThan(record.snapshots[0].loss);
  });

  it('loads what a config names: an image file, the MNIST digits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-'));
    await run('node', [...cli, 'experiments/fprinciple-image.json', '--steps', '10', '--set', 'data.points=8', '--set', 'train.snapshotEvery=10', '--backend', 'wasm', '--out', join(dir, 'image.json')]);
    const image = JSON.parse(readFileSync(join(dir, 'image.json'), 'utf8'));
    expect([image.config.data.image.width, image.config.data.image.height]).toEqual([64, 64]);
    expect(image.info.target).toHaveLength(64);
    const { stderr } = await run('node', [...cli, 'experiments/fprinciple-mnist.json', '--steps', '10', '--set', 'data.samples=50', '--backend', 'wasm', '--out', join(dir, 'mnist.json')]);
    expect(stderr).toMatch(/e_low\/e_high δ=10: /);
    const mnist = JSON.parse(readFileSync(join(dir, 'mnist.json'), 'utf8'));
    expect(mnist.snapshots.at(-1).metrics.filtering.low).toHaveLength(3);
  });

  it('npm run experiment runs a bundle of the runner (scripts/experiment.mjs, built when older than the sources), which finds the app\'s images and the MNIST digits; runs started together each build a whole one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-'));
    // No current build: each of the three builds its own, and none may load its chunks from another's.
    rmSync('.build/cli.current', { force: true });
    const bundled = (i: number) => ['scripts/experiment.mjs', 'experiments/fprinciple-image.json', '--steps', '10', '--set', 'data.points=8', '--set', 'train.snapshotEvery=10', '--backend', 'wasm', '--out', join(dir, `image${i}.json`)];
    await Promise.all([0, 1, 2].map((i) => run('node', bundled(i))));
    for (const i of [0, 1, 2]) expect(JSON.parse(readFileSync(join(dir, `image${i}.json`), 'utf8')).info.target).toHaveLength(64);
    const { stderr } = await run('node', ['scripts/experiment.mjs', 'experiments/fprinciple-mnist.json', '--steps', '10', '--set', 'data.samples=50', '--backend', 'cpu', '--out', join(dir, 'mnist.json')]);
    expect(stderr).toMatch(/e_low\/e_high δ=10: /);
  });

  it('starts from a weights file: the exported current weights give the run\'s last output again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-'));
    const small = ['--set', 'model.widths=[8,8]', '--set', 'train.snapshotEvery=10', '--backend', 'wasm'];
    await run('node', [...cli, 'experiments/fprinciple-1d.json', '--steps', '30', ...small, '--out', join(dir, 'first.json')]);
    const first = JSON.parse(readFileSync(join(dir, 'first.json'), 'utf8'));
    writeFileSync(join(dir, 'weights.json'), JSON.stringify(first.weights));
    await run('node', [...cli, 'experiments/fprinciple-1d.json', '--steps', '10', ...small, '--init-weights', join(dir, 'weights.json'), '--out', join(dir, 'second.json')]);
    const second = JSON.parse(readFileSync(join(dir, 'second.json'), 'utf8'));
    expect(second.snapshots[0].loss).toBeCloseTo(first.snapshots.at(-1).loss, 6);
    expect(second.weights.initial).toEqual(first.weights.current);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ layers: first.weights.current.layers.slice(1) }));
    const failure = await run('node', [...cli, 'experiments/fprinciple-1d.json', ...small, '--init-weights', join(dir, 'bad.json')]).catch((error) => error);
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toMatch(/weights.layers: the network has 3 layers, the file 2/);
  });

  it('rejects an invalid override with the schema message and a non-zero exit', async () => {
    const failure = await run('node', [...cli, 'experiments/fprinciple-1d.json', '--set', 'model.init.gamma=-1']).catch((error) => error);
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toMatch(/model\.init\.gamma: /);
  });

  it('refuses an --out it cannot write before training, and a target that fails when computed, with a message and exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-'));
    const cases = [
      [['--out', dir], /^cannot write --out .*: it is a directory\n$/],
      [['--out', join(dir, 'missing', 'run.json')], /^cannot write --out .*: the folder .*missing does not exist\n$/],
      [['--set', 'data.target=1/x'], /^invalid experiment config:\n {2}- data\.target: target "1\/x" is not a finite real number at x = 0\n$/],
      [['--set', 'data.domain=[-1e308,1e308]'], /data\.domain: /],
    ] as const;
    for (const [args, message] of cases) {
      const failure = await run('node', [...cli, 'experiments/fprinciple-1d.json', '--steps', '1', '--backend', 'cpu', ...args]).catch((error) => error);
      expect(failure.code).toBe(1);
      expect(failure.stderr).toMatch(message);
    }
  });
});
