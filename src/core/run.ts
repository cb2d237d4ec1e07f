/** Runs a whole experiment headless: the shared path of the command-line runner, the benchmarks and the tests. */
import type { ExperimentConfig } from './config/schema';
import { Session, type ExperimentInfo, type Snapshot } from './train/session';

export interface RunRecord {
  config: ExperimentConfig;
  backend: string;
  info: ExperimentInfo;
  snapshots: Snapshot[];
  /** Set when the run stopped early because the loss stopped being finite. */
  diverged?: { step: number; message: string };
}

export async function runExperiment(
  config: ExperimentConfig,
  backend: string,
  onSnapshot: (snapshot: Snapshot) => void = () => {},
): Promise<RunRecord> {
  const session = new Session(config);
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
