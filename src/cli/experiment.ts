/**
 * Headless runner: npm run experiment -- experiments/fprinciple-1d.json [--steps N] [--set path=value ...]
 * [--backend wasm|cpu] [--init-weights weights.json] [--out run.json] [--jobs N] [--shard i/N] [--progress bar|lines|json]
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../core/backend';
import { applyAssignments } from '../core/config/overrides';
import { BACKEND_PREFERENCES } from '../core/config/schema';
import { ConfigError, problemText } from '../core/config/validate';
import type { Snapshot } from '../core/run/types';
import { runExperiment } from '../engine/headless';
import { readWeights } from '../engine/host';
import { readRunFile, type RunRecord } from '../engine/runFile';
import { mergeShards, parseShard, shardCells, sweepOf, type Shard } from '../engine/shards';
import { parseConfig, PHENOMENA, phenomenonOf, type AnyConfig } from '../phenomena/engine';
import type { RunSources } from '../phenomena/types';
import { decodePng } from './decodePng';
import { readPackageDigits } from './mnistDigits';
import { makeProgress, PROGRESS_STYLES, type ProgressLine, type ProgressStyle } from './progress';

const usage = `usage: npm run experiment -- <config.json> [--steps N] [--set path=value ...] [--backend ${BACKEND_PREFERENCES.join('|')}] [--init-weights weights.json] [--out run.json]
  sweeps: [--jobs N (default: every core)] [--shard i/N (the i-th of N parts, from 0)]   [--progress ${PROGRESS_STYLES.join('|')}]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Why `path` cannot be written, or null: asked before training, so a long run is never lost to a typo. */
function unwritable(path: string): string | null {
  try {
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory()) return 'it is a directory';
    accessSync(existing ? path : dirname(path), constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : (error as Error).message;
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        steps: { type: 'string' },
        set: { type: 'string', multiple: true, default: [] },
        backend: { type: 'string' },
        out: { type: 'string' },
        'init-weights': { type: 'string' },
        jobs: { type: 'string' },
        shard: { type: 'string' },
        progress: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (positionals.length !== 1) fail(usage);
  const outProblem = values.out === undefined ? null : unwritable(values.out);
  if (outProblem) fail(`cannot write --out ${values.out}: ${outProblem}`);

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(positionals[0], 'utf8'));
  } catch (error) {
    fail(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
  const assignments = [...(values.set ?? [])];
  const phenomenon = PHENOMENA.find((p) => p.id === (raw as { phenomenon?: unknown } | null)?.phenomenon);
  if (values.steps !== undefined) assignments.push(`${phenomenon?.stepsPath ?? 'train.steps'}=${values.steps}`);
  if (values.backend !== undefined) assignments.push(`backend=${JSON.stringify(values.backend)}`);

  let config;
  try {
    config = parseConfig(applyAssignments(raw, assignments));
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : `invalid override: ${(error as Error).message}`);
  }

  let initial;
  if (values['init-weights'] !== undefined) {
    try {
      initial = readWeights(config, JSON.parse(readFileSync(values['init-weights'], 'utf8')));
    } catch (error) {
      fail(`cannot start from ${values['init-weights']}: ${problemText(error)}`);
    }
  }

  const style = (values.progress ?? (process.stderr.isTTY ? 'bar' : 'lines')) as ProgressStyle;
  if (!PROGRESS_STYLES.includes(style)) fail(`--progress: must be one of ${PROGRESS_STYLES.join(', ')} (got "${values.progress}")`);
  let shard: Shard | undefined;
  let jobs = 1;
  try {
    if (values.shard !== undefined) {
      const count = sweepOf(config, '--shard').count(config);
      const { index, of } = parseShard(values.shard, count);
      shard = { index, of, cells: shardCells(count, index, of) };
    }
    if (values.jobs !== undefined) {
      if (!/^\d+$/.test(values.jobs) || Number(values.jobs) < 1) fail(`--jobs: must be a whole number of at least 1 (got "${values.jobs}")`);
      jobs = Number(values.jobs);
      if (jobs > 1) sweepOf(config, '--jobs');
      if (jobs > 1 && shard) fail('--jobs and --shard: a shard runs in one process; give one of them');
    } else if (phenomenonOf(config).sweep && !shard) jobs = availableParallelism();
  } catch (error) {
    fail(problemText(error));
  }
  const sweep = phenomenonOf(config).sweep;
  jobs = Math.min(jobs, sweep?.count(config) ?? 1);

  const started = performance.now();
  const record = jobs > 1 ? await runInParts(config, jobs, style) : await runHere(config, initial, shard, style);
  process.stderr.write(`${record.snapshots.at(-1)?.step ?? 0} steps in ${((performance.now() - started) / 1000).toFixed(1)} s${jobs > 1 ? ` (${jobs} processes)` : ''}\n`);
  const json = JSON.stringify(record);
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(`${json}\n`);
  if (record.diverged) fail(record.diverged.message);
}

/** The run's progress: a sweep's cells, or steps. */
function progressOf(config: AnyConfig, snapshot: Snapshot, cells: number): { done: number; total: number } {
  const phenomenon = phenomenonOf(config);
  return phenomenon.sweep ? phenomenon.sweep.progress(snapshot, cells) : { done: snapshot.step, total: phenomenon.length(config) };
}

/** Trains the run (or a shard of a sweep) in this process. */
async function runHere(config: AnyConfig, initial: ReturnType<typeof readWeights> | undefined, shard: Shard | undefined, style: ProgressStyle): Promise<RunRecord> {
  const backend = await selectBackend(config.backend);
  if (style !== 'json') process.stderr.write(`backend: ${backend.reason}\n`);
  const phenomenon = phenomenonOf(config);
  const cells = shard?.cells.length ?? phenomenon.sweep?.count(config) ?? 0;
  const progress = makeProgress(style, phenomenon.sweep ? 'cells' : 'steps');
  const sources: RunSources = { decodeImage: decodePng, loadDigits: async () => readPackageDigits() };
  try {
    const record = await runExperiment(
      config,
      backend.name,
      (snapshot) => {
        const { done, total } = progressOf(config, snapshot, cells);
        const loss = Number.isFinite(snapshot.loss) ? `loss ${snapshot.loss.toExponential(3)}  ` : '';
        progress.update(done, total, `step ${snapshot.step}  ${loss}${phenomenon.progress(snapshot, config)}`);
      },
      sources,
      { initial, cells: shard?.cells },
    );
    progress.stop();
    return shard ? { ...record, shard } : record;
  } catch (error) {
    progress.stop();
    fail((error as Error).message);
  }
}

/**
 * Trains a sweep as `jobs` shards, each a process of this runner, and merges them: the same sweep, cell for cell,
 * as one process trains (each cell's result does not depend on the cells beside it).
 */
async function runInParts(config: AnyConfig, jobs: number, style: ProgressStyle): Promise<RunRecord> {
  const folder = mkdtempSync(join(tmpdir(), 'phenomena-sweep-'));
  const configFile = join(folder, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const progress = makeProgress(style, 'cells');
  // Each shard's last progress line; the bar starts once every shard has said how much it has to do.
  const latest: ProgressLine[] = Array.from({ length: jobs }, () => ({ done: 0, total: 0, text: '' }));
  const report = () => {
    if (latest.some((line) => line.total === 0)) return;
    const training = latest.filter((line) => line.done < line.total).length;
    progress.update(latest.reduce((sum, line) => sum + line.done, 0), latest.reduce((sum, line) => sum + line.total, 0), `${training} of ${jobs} processes training`);
  };
  const processes = Array.from({ length: jobs }, (_, index) =>
    spawn(
      process.execPath,
      [...process.execArgv, process.argv[1], configFile, '--shard', `${index}/${jobs}`, '--progress', 'json', '--out', join(folder, `part-${index}.json`)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  );
  const children = processes.map((child, index) => {
    const said: string[] = [];
    let buffered = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          latest[index] = JSON.parse(line) as ProgressLine;
          report();
        } catch {
          said.push(line);
        }
      }
    });
    return new Promise<void>((resolve, reject) =>
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`shard ${index}/${jobs} failed (exit ${code}): ${said.join(' ') || 'no message'}`)))),
    );
  });
  let merged: RunRecord;
  try {
    await Promise.all(children);
    const parts = Array.from({ length: jobs }, (_, index) => {
      const name = join(folder, `part-${index}.json`);
      return { name, record: readRunFile(readFileSync(name, 'utf8'))[0] };
    });
    merged = mergeShards(parts);
  } catch (error) {
    processes.forEach((child) => child.kill());
    progress.stop();
    rmSync(folder, { recursive: true, force: true });
    fail(problemText(error));
  }
  progress.stop();
  rmSync(folder, { recursive: true, force: true });
  return merged;
}

// Whatever fails past validation gets its message and exit 1, never a stack trace (tfjs-wasm's would carry its source).
void main().catch((error: unknown) => fail(`the run failed: ${error instanceof Error ? error.message : String(error)}`));
