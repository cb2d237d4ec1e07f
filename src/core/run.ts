/** Runs a whole experiment headless: the shared path of the command-line runner, the benchmarks and the tests. */
import type { RunConfig } from './config/validate';
import type { Digits } from './data/mnist';
import { createRunSession } from './train/runSession';
import type { ExperimentInfo, Snapshot } from './train/session';

export interface RunRecord {
  config: RunConfig;
  backend: string;
  info: ExperimentInfo;
  snapshots: Snapshot[];
  /** Set when the run stopped early because the loss stopped being finite. */
  diverged?: { step: number; message: string };
}

/** `config` as prepareRun returns it (image pixels loaded), with the digits for MNIST. */
export async function runExperiment(
  config: RunConfig,
  backend: string,
  onSnapshot: (snapshot: Snapshot) => void = () => {},
  digits: Digits | null = null,
): Promise<RunRecord> {
  const session = createRunSession(config, {}, digits);
  try {
    const first = await session.snapshot();
    onSnapshot(first);
    const record: RunRecord = { config, backend, info: session.info, snapshots: [first] };
    while (!session.finished) {
      const result = await session.advance(config.train.snapshotEvery);
      if (result.status === 'diverged') {
        record.diverged = { step: result.step, message: result.message };
        break;
      }
      record.snapshots.push(result.snapshot);
      onSnapshot(result.snapshot);
    }
    return record;
  } finally {
    session.dispose();
  }
}
