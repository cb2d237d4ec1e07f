/** Where a loss curve spikes: pure arithmetic on (step, loss) pairs, shared by the page and the tests. */

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
