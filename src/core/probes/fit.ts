/** What every function fit shows: its output on the training points and on the drawing grid, and the model loss. */
import { metricKey, numbers, type Probe } from './probe';

export const OUTPUT = metricKey<number[]>('output');
export const CURVE = metricKey<number[]>('curve');
export interface ModelLoss {
  value: number;
  /** The loss that trains from this step on. */
  training: string;
}
export const MODEL_LOSS = metricKey<ModelLoss>('modelLoss');

/** The network on the training points. */
export const outputProbe: Probe<number[]> = { name: OUTPUT.name, needs: ['output'], compute: (values) => numbers(values.output) };

/** The network on a dense grid, for drawing a smooth line (readable "curve"). */
export const curveProbe: Probe<number[]> = { name: CURVE.name, needs: ['curve'], compute: (values) => numbers(values.curve) };

/** The Poisson model loss (readable "modelLoss") and which loss trains from this step on. */
export function modelLossProbe(trainingAt: (step: number) => string): Probe<ModelLoss> {
  return { name: MODEL_LOSS.name, needs: ['modelLoss'], compute: (values, { step }) => ({ value: values.modelLoss[0], training: trainingAt(step) }) };
}
