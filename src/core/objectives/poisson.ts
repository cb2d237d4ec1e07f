/**
 * The model loss of −u″ = f on a 1-D interval (Wang, Zhang, Zhang, Xu 2024): the residual at the inner points,
 * with f = −u″ of the exact solution derived symbolically, plus (u − u_exact)² at the two ends.
 */
import * as tf from '@tensorflow/tfjs';
import { poissonSource } from '../data/function1d';
import type { Mlp } from '../models/mlp';
import type { Objective } from './objective';

export function poissonObjective(model: Mlp, expression: string, x: Float64Array, u: Float64Array): Objective {
  const innerX = x.slice(1, -1);
  const f = poissonSource(expression, innerX);
  const column = (values: Float64Array) => tf.tensor2d(Float32Array.from(values), [values.length, 1]);
  const inner = column(innerX);
  const source = column(f);
  const ends = column(Float64Array.of(x[0], x[x.length - 1]));
  const endValues = column(Float64Array.of(u[0], u[u.length - 1]));
  return {
    loss: () => {
      const residual = tf.losses.meanSquaredError(source, tf.neg(model.forwardWithDerivatives(inner).d2u));
      return tf.add(residual, tf.losses.meanSquaredError(endValues, model.predict(ends))) as tf.Scalar;
    },
    dispose: () => tf.dispose([inner, source, ends, endValues]),
  };
}
