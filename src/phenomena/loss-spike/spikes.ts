/** Where a loss curve spikes: pure arithmetic on (step, loss) pairs, shared by the page, its events and the tests. */
import { SHARPNESS } from '../../core/probes/sharpness';
import type { Snapshot } from '../../core/run/types';
import type { FitConfig } from '../fit/schema';
import type { Headline, RunEvent } from '../types';

/** A spike on the page: the loss more than this many times its running minimum (the app's threshold). */
export const SPIKE_FACTOR = 5;

/** The stability bound of gradient descent at rate η. */
export const stabilityBound = (lr: number): number => 2 / lr;

export interface LossSpike {
  /** The first step above `factor` × the running minimum. */
  start: number;
  /** The step of the largest loss in the spike, and that loss over the running minimum at the start. */
  peak: number;
  ratio: number;
  /** The first step back below `recovered` × that minimum (null: the run ended inside the spike). */
  end: number | null;
}

/**
 * Spikes: the loss rises above `factor` times its running minimum, and the spike lasts until it falls back below
 * `recovered` times that minimum (recovered < factor, so a spike's own wiggles do not count twice).
 */
export function lossSpikes(points: readonly { step: number; loss: number }[], factor: number, recovered = 1.5): LossSpike[] {
  const spikes: LossSpike[] = [];
  let minimum = Infinity;
  let open: (LossSpike & { base: number }) | null = null;
  for (const { step, loss } of points) {
    if (open) {
      if (loss / open.base > open.ratio) [open.peak, open.ratio] = [step, loss / open.base];
      if (loss < recovered * open.base) {
        spikes.push({ start: open.start, peak: open.peak, ratio: open.ratio, end: step });
        open = null;
      }
    } else if (loss > factor * minimum) open = { start: step, peak: step, ratio: loss / minimum, end: null, base: minimum };
    minimum = Math.min(minimum, loss);
  }
  if (open) spikes.push({ start: open.start, peak: open.peak, ratio: open.ratio, end: null });
  return spikes;
}

/** The first time λ_max passed 2/η, and each spike's start. */
export function lossSpikeEvents({ config, snapshots }: { config: FitConfig; snapshots: readonly Snapshot[] }): RunEvent[] {
  const bound = stabilityBound(config.train.lr);
  const crossed = snapshots.find((s) => (SHARPNESS.of(s)?.lambdaMax ?? 0) > bound);
  const events: RunEvent[] = crossed ? [{ step: crossed.step, label: 'λ_max passed 2/η' }] : [];
  lossSpikes(snapshots, SPIKE_FACTOR).forEach((spike, i) => events.push({ step: spike.start, label: `loss spike ${i + 1}` }));
  return events.sort((a, b) => a.step - b.step);
}

/** λ_max over the bound 2/η: above 1, gradient descent is unstable along the sharpest direction. */
export function lossSpikeHeadline(snapshot: Snapshot, { config }: { config: FitConfig }): Headline | null {
  const sharpness = SHARPNESS.of(snapshot);
  return sharpness ? { label: 'λ_max / (2/η)', value: (sharpness.lambdaMax / stabilityBound(config.train.lr)).toFixed(2) } : null;
}
