/**
 * Headless runner: npm run experiment -- experiments/fprinciple-1d.json [--steps N] [--set path=value ...]
 * [--backend wasm|cpu] [--init-weights weights.json] [--out run.json]
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { applyAssignments } from '../core/config/overrides';
import { BACKEND_PREFERENCES, type BackendPreference } from '../core/config/schema';
import { ConfigError, parseAnyExperiment } from '../core/config/validate';
import { selectBackend } from '../core/backend';
import { runExperiment } from '../core/run';
import { prepareRun, runSpec } from '../core/train/runSession';
import { readPackageDigits } from './mnistDigits';
import { weightsFromJson } from '../core/weights';
import { decodePng } from './decodePng';
import { runPhaseDiagram } from '../core/sweep/phaseDiagram';

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
  const isSweep = (raw as { phenomenon?: unknown } | null)?.phenomenon === 'phase-diagram';
  if (values.steps !== undefined) assignments.push(`${isSweep ? 'train.maxSteps' : 'train.steps'}=${values.steps}`);
  if (values.backend !== undefined) assignments.push(`backend=${JSON.stringify(values.backend)}`);

  let experiment;
  try {
    experiment = parseAnyExperiment(applyAssignments(raw, assignments));
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : `invalid override: ${(error as Error).message}`);
  }

  const backend = await selectBackend(experiment.config.backend as BackendPreference);
  process.stderr.write(`backend: ${backend.reason}\n`);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  let record: object;
  let failure: string | undefined;
  if (experiment.kind === 'sweep' && values['init-weights'] !== undefined) fail('--init-weights starts a single run; a phase-diagram sweep draws its own weights');
  if (experiment.kind === 'sweep') {
    const sweep = await runPhaseDiagram(experiment.config, {
      onWidth: (result) => {
        const width = result.done.at(-1);
        const counts = result.cells.reduce<Record<string, number>>((c, cell) => ({ ...c, [cell.regime ?? 'unclassified']: (c[cell.regime ?? 'unclassified'] ?? 0) + 1 }), {});
        process.stderr.write(`width ${width} done after ${elapsed()}; cells: ${JSON.stringify(counts)}\n`);
      },
    });
    record = { config: experiment.config, backend: backend.name, sweep };
  } else {
    let prepared;
    try {
      prepared = await prepareRun(experiment.config, { decodeImage: decodePng, loadDigits: async () => readPackageDigits() });
    } catch (error) {
      fail((error as Error).message);
    }
    const { config, digits } = prepared;
    let initial;
    if (values['init-weights'] !== undefined) {
      try {
        const spec = runSpec(config);
        initial = weightsFromJson(JSON.parse(readFileSync(values['init-weights'], 'utf8')), spec);
      } catch (error) {
        fail(`cannot start from ${values['init-weights']}: ${(error as Error).message}`);
      }
    }
    const run = await runExperiment(config, backend.name, (snapshot) => {
      if (snapshot.step % Math.max(config.train.snapshotEvery, Math.round(config.train.steps / 20)) === 0) {
        const { frequency, condensation, filtering } = snapshot.metrics;
        const deltas = 'deltas' in config.analysis ? config.analysis.deltas : [];
        const measures = condensation
          ? `directions ${condensation.directions}${condensation.directionsCapped ? '+' : ''}  RD ${condensation.rd.toPrecision(3)}`
          : filtering
            ? `e_low/e_high ${deltas.map((delta, i) => `δ=${delta}: ${filtering.low[i].toFixed(3)}/${filtering.high[i].toFixed(3)}`).join('  ')}`
            : `Δ_F ${frequency.relError.map((e, i) => `k=${frequency.k[i]}: ${e.toFixed(3)}`).join('  ')}`;
        process.stderr.write(`step ${snapshot.step}  loss ${snapshot.loss.toExponential(3)}  ${measures}\n`);
      }
    }, digits, { initial });
    process.stderr.write(`${run.snapshots.at(-1)?.step ?? 0} steps in ${elapsed()}\n`);
    record = run;
    failure = run.diverged?.message;
  }
  const json = JSON.stringify(record);
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(`${json}\n`);
  if (failure) fail(failure);
}

// Whatever fails past validation gets its message and exit 1, never a stack trace (tfjs-wasm's would carry its source).
await main().catch((error: unknown) => fail(`the run failed: ${error instanceof Error ? error.message : String(error)}`));
