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
  { previous, cells: trained, onProgress = () => {}, onWidth = () => {}, turn = () => {}, cancelled = () => false }: {
    previous?: SweepResult;
    /** The cells to train (a shard's); the others keep what `previous` holds. All when absent. */
    cells?: readonly number[];
    /** May return a promise: the sweep waits for it before the next chunk (a paused sweep). */
    onProgress?: (progress: SweepProgress) => void | Promise<void>;
    /**
     * Called between two steps of a chunk (a chunk of a wide sweep takes seconds); may return a promise, which the
     * sweep waits for there: where a driver gives its thread a turn and holds the sweep (an interrupt).
     */
    turn?: () => void | Promise<void>;
    onWidth?: (result: SweepResult) => void;
    cancelled?: () => boolean;
  } = {},
): Promise<SweepResult> {
  const { data, sweep, init, train, analysis } = config;
  const dataset = targetDataset(targetExpression(data), data.domain, data.points, data.grid);
  const meanSquare = dataset.y.reduce((s, v) => s + v * v, 0) / dataset.y.length;
  let result = previous ?? emptySweep(config);
  const indices = trained ?? result.cells.map((_, i) => i);
  // tfjs-wasm multiplies a batch of one with XNNPACK and larger batches with its own loop, whose sums round
  // differently: a lone cell trains beside a copy of itself, so a shard's cells come out as in the whole sweep.
  const batched = indices.length === 1 ? [indices[0], indices[0]] : indices;
  for (const width of sweep.widths.slice(result.done.length)) {
    if (cancelled()) break;
    const batch = new TwoLayerBatch({
      x: dataset.x,
      y: dataset.y,
      width,
      scales: batched.map((i) => initScales(result.cells[i].gamma, result.cells[i].gammaPrime, width)),
      seed: config.seed,
      antisymmetric: init.antisymmetric,
      eta0: train.eta0,
      // The batch's loss is half the mean squared error.
      lossTarget: 0.5 * train.lossTarget * (train.lossTargetIs === 'mse' ? 1 : meanSquare),
    });
    try {
      let state = await batch.state();
      while (state.active > 0 && batch.step < train.maxSteps && !cancelled()) {
        const end = Math.min(batch.step + train.chunk, train.maxSteps);
        while (batch.step < end && !cancelled()) {
          batch.train(1);
          const waiting = batch.step < end ? turn() : undefined;
          if (waiting) await waiting;
        }
        if (cancelled()) break;
        state = await batch.state();
        // A lone cell's copy finishes with it.
        await onProgress({ width, step: batch.step, finished: Math.round(((batch.size - state.active) * indices.length) / batch.size), total: indices.length });
        // A macrotask turn, so a worker can take a cancel message between chunks.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      if (cancelled()) break;
      const done = [...result.done, width];
      const logWidths = done.map(Math.log);
      const cells = [...result.cells];
      indices.forEach((i, b) => {
        const cell = cells[i];
        const rd = [...cell.rd, state.rd[b]];
        const cellSlope = rd.length >= 2 ? slope(logWidths, rd.map(Math.log)) : null;
        cells[i] = {
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

