/**
 * The model loss of −u″ = f on a 1-D interval (Wang, Zhang, Zhang, Xu 2024): the residual at the inner points,
 * with f = −u″ of the exact solution derived symbolically, plus (u − u_exact)² at the two ends.
 */
import * as tf from '@tensorflow/tfjs';
import { compileDerivative } from '../expression';
import type { Mlp } from '../models/mlp';
import type { Objective } from './objective';

export function poissonObjective(model: Mlp, expression: string, x: Float64Array, u: Float64Array): Objective {
  const secondDerivative = compileDerivative(expression, 2);
  const innerX = x.slice(1, -1);
  const f = innerX.map((xj) => -secondDerivative({ x: xj }));
  if (f.some((value) => !Number.isFinite(value))) throw new Error(`the second derivative of "${expression}" is not finite on the points`);
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
