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

  it('rejects an invalid override with the schema message and a non-zero exit', async () => {
    const failure = await run('node', [...cli, 'experiments/fprinciple-1d.json', '--set', 'model.init.gamma=-1']).catch((error) => error);
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toMatch(/model\.init\.gamma: /);
  });
});
