/**
 * The warning before a config that will train slowly: its parameter count, its points, and a time a step
 * estimated from a rate measured on this device (the current run's), since a step costs about parameters ×
 * points multiply-adds. Pure, so it is tested without a page.
 */

/** Above this estimated time a step, a page asks before it starts a config. */
export const SLOW_STEP_SECONDS = 1;
/**
 * Without a measured rate (the current run has not trained yet), above this work a step (parameters × points) a
 * config is called slow unseen: about a second a step at a few GFLOP/s, what a CPU core gives the engine.
 */
export const SLOW_WORK = 1e9;

export interface StepCost {
  parameters: number;
  points: number;
}

/** Wall time a step (its snapshots' share included) measured on a run of this cost. */
export interface MeasuredRate extends StepCost {
  secondsPerStep: number;
}

/** A duration in the unit that reads best: "0.35 ms", "4.2 s", "3.5 min", "2.1 h". */
export function formatSeconds(seconds: number): string {
  // Two significant digits, never in exponent notation (300 h, not 3.0e+2 h).
  const two = (value: number) => String(Number(value.toPrecision(2)));
  if (seconds < 1) return `${two(seconds * 1000)} ms`;
  if (seconds < 60) return `${two(seconds)} s`;
  if (seconds < 3600) return `${two(seconds / 60)} min`;
  return `${two(seconds / 3600)} h`;
}

/** Seconds a step of `cost`, scaled from a measured rate by the work a step (parameters × points). */
export function estimateSecondsPerStep(cost: StepCost, rate: MeasuredRate): number {
  return (rate.secondsPerStep * cost.parameters * cost.points) / (rate.parameters * rate.points);
}

/** Why a page should ask before it starts a config of this cost, or null when it will train briskly. */
export function slowWarning(cost: StepCost, rate: MeasuredRate | null, snapshotEvery: number): string | null {
  const size = `${cost.parameters.toLocaleString('en-US')} parameters on ${cost.points.toLocaleString('en-US')} points`;
  if (!rate) return cost.parameters * cost.points > SLOW_WORK ? `${size}: a step costs about ${(cost.parameters * cost.points).toExponential(1)} multiply-adds, seconds or more here` : null;
  const seconds = estimateSecondsPerStep(cost, rate);
  if (seconds <= SLOW_STEP_SECONDS) return null;
  const measured = `${formatSeconds(rate.secondsPerStep)} a step measured on the current run, ${rate.parameters.toLocaleString('en-US')} parameters on ${rate.points.toLocaleString('en-US')} points`;
  return `${size}: about ${formatSeconds(seconds)} a step and ${formatSeconds(seconds * snapshotEvery)} between snapshots here (from ${measured})`;
}
