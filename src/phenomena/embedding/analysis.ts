/** What the embedding page measures: the effective width of a two-layer tanh network, plateaus of a loss curve. */
import { amplitudes, condensedDirections } from '../../core/analysis/condensation';
import type { TwoLayer } from '../../core/models/twoLayer64';

/**
 * How many neurons the network acts like: the condensation probe's count of directions of (w_k, b_k) holding
 * `massFraction` of the amplitude |a_k|·‖(w_k, b_k)‖. tanh is odd, so a_k tanh(w_k x + b_k) = −a_k tanh(−w_k x − b_k):
 * a neuron and its mirror image are the same neuron, and each (w, b) is first turned to w ≥ 0.
 */
export function effectiveWidth(net: TwoLayer, clustering: { toleranceDeg: number; massFraction: number }): number {
  const thetas = Array.from(net.a, (_, k) => {
    const flip = net.w[k] < 0 || (net.w[k] === 0 && net.b[k] < 0) ? -1 : 1;
    return [flip * net.w[k], flip * net.b[k]];
  });
  return condensedDirections(thetas, amplitudes(thetas, net.a), clustering).count;
}

export interface Plateau {
  /** First and last step of the stretch. */
  from: number;
  to: number;
  /** The loss at its middle snapshot. */
  loss: number;
  /** Index of that snapshot. */
  index: number;
}

/**
 * Stretches where the loss stays within a factor `1 + tolerance` (largest over smallest) for at least `minSteps`
 * steps, after the loss has first fallen below `start`·(1 − tolerance) (the stall at the initial loss, while a
 * small initialization grows, is not a plateau of a narrower network). Greedy from the left: each plateau is as
 * long as it can be, the next starts after it.
 */
export function plateaus(curve: readonly { step: number; loss: number }[], { tolerance, minSteps }: { tolerance: number; minSteps: number }): Plateau[] {
  const found: Plateau[] = [];
  if (curve.length === 0) return found;
  let i = curve.findIndex((p) => p.loss < curve[0].loss * (1 - tolerance));
  if (i < 0) return found;
  while (i < curve.length) {
    let low = curve[i].loss;
    let high = low;
    let j = i;
    while (j + 1 < curve.length) {
      const next = curve[j + 1].loss;
      const [l, h] = [Math.min(low, next), Math.max(high, next)];
      if (!(h <= l * (1 + tolerance))) break;
      [low, high] = [l, h];
      j++;
    }
    if (curve[j].step - curve[i].step >= minSteps) {
      const index = Math.floor((i + j) / 2);
      found.push({ from: curve[i].step, to: curve[j].step, loss: curve[index].loss, index });
      i = j + 1;
    } else i++;
  }
  return found;
}

/** The page's plateau finder (ours): the loss within 10 % over at least a tenth of the run's `runSteps`. */
export function runPlateaus(curve: readonly { step: number; loss: number }[], runSteps: number): Plateau[] {
  return plateaus(curve, { tolerance: 0.1, minSteps: Math.max(1, runSteps / 10) });
}
