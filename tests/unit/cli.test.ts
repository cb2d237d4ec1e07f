import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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
    expect(stderr).toMatch(/e_low\/e_high δ=3: /);
    const mnist = JSON.parse(readFileSync(join(dir, 'mnist.json'), 'utf8'));
    expect(mnist.snapshots.at(-1).metrics.filtering.low).toHaveLength(3);
  });

  it('rejects an invalid override with the schema message and a non-zero exit', async () => {
    const failure = await run('node', [...cli, 'experiments/fprinciple-1d.json', '--set', 'model.init.gamma=-1']).catch((error) => error);
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toMatch(/model\.init\.gamma: /);
  });
});
