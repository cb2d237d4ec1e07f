/** Runs a whole experiment headless: the shared path of the command-line runner, the benchmarks and the tests. */
import type { RunConfig } from './config/validate';
import type { Digits } from './data/mnist';
import { RUN_FILE_FORMAT, type RunRecord } from './runFile';
import { createRunSession } from './train/runSession';
import type { Snapshot } from './train/session';
import type { TrainerOptions } from './train/trainer';
import { weightsToJson } from './weights';

export async function runExperiment(
  config: RunConfig,
  backend: string,
  onSnapshot: (snapshot: Snapshot) => void = () => {},
  digits: Digits | null = null,
  options: TrainerOptions = {},
): Promise<RunRecord> {
  const session = createRunSession(config, options, digits);
  try {
    const first = await session.snapshot();
    onSnapshot(first);
    const record: RunRecord = { format: RUN_FILE_FORMAT, version: 1, config, backend, info: session.info, snapshots: [first] };
    while (!session.finished) {
      const result = await session.advance(config.train.snapshotEvery);
      if (result.status === 'diverged') {
        record.diverged = { step: result.step, message: result.message };
        break;
      }
      record.snapshots.push(result.snapshot);
      onSnapshot(result.snapshot);
    }
    record.weights = { initial: weightsToJson(session.initialParams), current: weightsToJson(await session.readParams()) };
    return record;
  } finally {
    session.dispose();
  }
}
