/** Runs a whole experiment headless, any phenomenon: the shared path of the command-line runner, the benchmarks and the tests. */
import type { Snapshot } from '../core/run/types';
import { tensorsToJson } from '../core/weights';
import { phenomenonOf, type AnyConfig } from '../phenomena/engine';
import type { RunSources, StartOptions } from '../phenomena/types';
import { RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunRecord } from './runFile';

const NO_SOURCES: RunSources = {
  decodeImage: () => Promise.reject(new Error('no image decoder given')),
  loadDigits: () => Promise.reject(new Error('no MNIST digits given')),
};

/** `config`: validated; what it names is loaded from `sources` first. */
export async function runExperiment(
  input: AnyConfig,
  backend: string,
  onSnapshot: (snapshot: Snapshot) => void = () => {},
  sources: RunSources = NO_SOURCES,
  options: StartOptions = {},
): Promise<RunRecord> {
  const phenomenon = phenomenonOf(input);
  const config = await phenomenon.prepare(input, sources);
  const session = await phenomenon.start(config, sources, options);
  try {
    const first = await session.snapshot();
    onSnapshot(first);
    const record: RunRecord = { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, config, backend, info: session.info, snapshots: [first] };
    while (!session.finished) {
      const result = await session.advance(session.schedule.every);
      if (result.status === 'diverged') {
        record.diverged = { step: result.step, message: result.message };
        break;
      }
      record.snapshots.push(result.snapshot);
      onSnapshot(result.snapshot);
    }
    if (session.initialParams.length) record.weights = { initial: tensorsToJson(session.initialParams), current: tensorsToJson(await session.readParams()) };
    return record;
  } finally {
    session.dispose();
  }
}
