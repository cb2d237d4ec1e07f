/**
 * Condensation of the first hidden layer: each neuron's input weights θ_j = (w_j, b_j) (and output weight a_j in
 * a two-layer network), their orientations, amplitudes, how many directions hold most of the amplitude, and
 * how far they moved (RD). Reads the current weights whatever path trains.
 */
import { amplitudes, azimuthAngles, condensedDirections, neuronVectors, orientationAngles, polarAngles, relativeDistance } from '../analysis/condensation';
import { layerTensorName } from '../models/mlpSpec';
import { metricKey, numbers, type Probe } from './probe';

export interface CondensationMetrics {
  /** Per neuron, degrees: 1-D input, the orientation atan2(b, w) of (w, b); 2-D input, the azimuth atan2(w₂, w₁). */
  angle: number[];
  /** 2-D input: per neuron, the angle in degrees between θ_j = (w₁, w₂, b) and the +b axis (0 … 180). */
  polar?: number[];
  /** ‖θ_j‖·|a_j| (two-layer) or ‖θ_j‖, per neuron. */
  amplitude: number[];
  /** Directions holding `massFraction` of the amplitude (within `toleranceDeg`). */
  directions: number;
  /** True when more than the largest count we look for (16) would be needed. */
  directionsCapped: boolean;
  /** Angles of those directions (as `angle`), degrees, most amplitude first. */
  directionAngles: number[];
  /** 2-D input: their polar angles (as `polar`). */
  directionPolar?: number[];
  /** RD = ‖θ(t) − θ(0)‖ / ‖θ(0)‖ over the first layer's input weights. */
  rd: number;
}

/** The first hidden layer's input weights (row-major [inputs, m]), biases and, for two-layer nets, output weights a_j. */
export interface Neurons {
  w: number[];
  b: number[];
  a?: number[];
}

export const CONDENSATION = metricKey<CondensationMetrics>('condensation');
export const NEURONS = metricKey<Neurons>('neurons');

const W = layerTensorName(0, 'weights');
const B = layerTensorName(0, 'bias');
const A = layerTensorName(1, 'weights');

/** The neurons as drawn (metrics "neurons"); `twoLayer`: the network has one hidden layer, so a_j exists. */
export function neuronsProbe(twoLayer: boolean): Probe<Neurons> {
  return {
    name: NEURONS.name,
    needs: twoLayer ? [W, B, A] : [W, B],
    compute: (values) => ({ w: numbers(values[W]), b: numbers(values[B]), a: twoLayer ? numbers(values[A]) : undefined }),
  };
}

export function condensationProbe(inputDim: number, twoLayer: boolean, clustering: { toleranceDeg: number; massFraction: number }): Probe<CondensationMetrics> {
  const view = inputDim === 1 ? { angle: orientationAngles } : { angle: azimuthAngles, polar: polarAngles };
  return {
    name: CONDENSATION.name,
    needs: twoLayer ? [W, B, A] : [W, B],
    compute: (values, context) => {
      const [w, b] = [numbers(values[W]), numbers(values[B])];
      const thetas = neuronVectors({ inputDim, weights: w, bias: b });
      const amplitude = amplitudes(thetas, twoLayer ? numbers(values[A]) : undefined);
      const directions = condensedDirections(thetas, amplitude, clustering);
      return {
        angle: view.angle(thetas),
        polar: view.polar?.(thetas),
        amplitude,
        directions: directions.count,
        directionsCapped: directions.capped,
        directionAngles: view.angle(directions.centers),
        directionPolar: view.polar?.(directions.centers),
        rd: relativeDistance([...w, ...b], [...context.initial(W), ...context.initial(B)]),
      };
    },
  };
}
