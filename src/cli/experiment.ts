/**
 * Headless runner: npm run experiment -- experiments/fprinciple-1d.json [--steps N] [--set path=value ...]
 * [--backend wasm|cpu] [--init-weights weights.json] [--out run.json]
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../core/backend';
import { applyAssignments } from '../core/config/overrides';
import { BACKEND_PREFERENCES } from '../core/config/schema';
import { ConfigError, problemText } from '../core/config/validate';
import { runExperiment } from '../engine/headless';
import { readWeights } from '../engine/host';
import { parseConfig, PHENOMENA, phenomenonOf } from '../phenomena/engine';
import type { RunSources } from '../phenomena/types';
import { decodePng } from './decodePng';
import { readPackageDigits } from './mnistDigits';

const usage = `usage: npm run experiment -- <config.json> [--steps N] [--set path=value ...] [--backend ${BACKEND_PREFERENCES.join('|')}] [--init-weights weights.json] [--out run.json]`;

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

  const sources: RunSources = { decodeImage: decodePng, loadDigits: async () => readPackageDigits() };
  let initial;
  if (values['init-weights'] !== undefined) {
    try {
      initial = readWeights(config, JSON.parse(readFileSync(values['init-weights'], 'utf8')));
    } catch (error) {
      fail(`cannot start from ${values['init-weights']}: ${problemText(error)}`);
    }
  }

  const backend = await selectBackend(config.backend);
  process.stderr.write(`backend: ${backend.reason}\n`);
  const started = performance.now();
  const runPhenomenon = phenomenonOf(config);
  // About twenty progress lines a run, on snapshots.
  const every = Math.max(1, Math.round(runPhenomenon.length(config) / 20));
  let next = 0;
  let record;
  try {
    record = await runExperiment(
      config,
      backend.name,
      (snapshot) => {
        if (snapshot.step < next) return;
        next = snapshot.step + every;
        const loss = Number.isFinite(snapshot.loss) ? `loss ${snapshot.loss.toExponential(3)}  ` : '';
        process.stderr.write(`step ${snapshot.step}  ${loss}${runPhenomenon.progress(snapshot, config)}\n`);
      },
      sources,
      { initial },
    );
  } catch (error) {
    fail((error as Error).message);
  }
  process.stderr.write(`${record.snapshots.at(-1)?.step ?? 0} steps in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const json = JSON.stringify(record);
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(`${json}\n`);
  if (record.diverged) fail(record.diverged.message);
}

// Whatever fails past validation gets its message and exit 1, never a stack trace (tfjs-wasm's would carry its source).
void main().catch((error: unknown) => fail(`the run failed: ${error instanceof Error ? error.message : String(error)}`));
