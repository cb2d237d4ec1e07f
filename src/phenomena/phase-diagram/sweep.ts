/** Trains a phase-diagram sweep: each width one batched program over all (γ, γ′) cells. */
import { targetDataset, targetExpression } from '../../core/data/function1d';
import { TwoLayerBatch } from '../../core/models/twoLayerBatch';
import { classify, emptySweep, initScales, slope, type SweepProgress, type SweepResult } from './diagram';
import type { PhaseDiagramConfig } from './schema';

/**
 * Runs the widths not yet in `previous.done` (so a cancelled sweep resumes where it stopped), each as one
 * batched program over all cells. Returns the result after every width; stops early when `cancelled()`.
 */
export async function runPhaseDiagram(
  config: PhaseDiagramConfig,
  { previous, onProgress = () => {}, onWidth = () => {}, cancelled = () => false }: {
    previous?: SweepResult;
    /** May return a promise: the sweep waits for it before the next chunk (a paused sweep). */
    onProgress?: (progress: SweepProgress) => void | Promise<void>;
    onWidth?: (result: SweepResult) => void;
    cancelled?: () => boolean;
  } = {},
): Promise<SweepResult> {
  const { data, sweep, init, train, analysis } = config;
  const dataset = targetDataset(targetExpression(data), data.domain, data.points, data.grid);
  const meanSquare = dataset.y.reduce((s, v) => s + v * v, 0) / dataset.y.length;
  let result = previous ?? emptySweep(config);
  for (const width of sweep.widths.slice(result.done.length)) {
    if (cancelled()) break;
    const batch = new TwoLayerBatch({
      x: dataset.x,
      y: dataset.y,
      width,
      scales: result.cells.map((c) => initScales(c.gamma, c.gammaPrime, width)),
      seed: config.seed,
      antisymmetric: init.antisymmetric,
      eta0: train.eta0,
      // The batch's loss is half the mean squared error.
      lossTarget: 0.5 * train.lossTarget * (train.lossTargetIs === 'mse' ? 1 : meanSquare),
    });
    try {
      let state = await batch.state();
      while (state.active > 0 && batch.step < train.maxSteps && !cancelled()) {
        batch.train(Math.min(train.chunk, train.maxSteps - batch.step));
        state = await batch.state();
        await onProgress({ width, step: batch.step, finished: batch.size - state.active, total: batch.size });
        // A macrotask turn, so a worker can take a cancel message between chunks.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      if (cancelled()) break;
      const done = [...result.done, width];
      const logWidths = done.map(Math.log);
      const cells = result.cells.map((cell, b) => {
        const rd = [...cell.rd, state.rd[b]];
        const cellSlope = rd.length >= 2 ? slope(logWidths, rd.map(Math.log)) : null;
        return {
          ...cell,
          rd,
          steps: [...cell.steps, state.stoppedAt[b] >= 0 ? state.stoppedAt[b] : batch.step],
          converged: [...cell.converged, state.stoppedAt[b] >= 0],
          slope: cellSlope,
          regime: cellSlope === null ? null : classify(cellSlope, analysis.criticalSlope),
        };
      });
      result = { widths: sweep.widths, done, cells };
      onWidth(result);
    } finally {
      batch.dispose();
    }
  }
  return result;
}

