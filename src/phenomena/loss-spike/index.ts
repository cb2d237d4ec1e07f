/**
 * Loss spikes (Li, Xu, Zhang, arXiv 2305.12133): full-batch gradient descent at a constant rate η on a tanh
 * network; as the loss falls the landscape sharpens, λ_max of the Hessian passes 2/η, the loss grows
 * exponentially along the sharpest direction, and falls back once training reaches a flatter region. Measured
 * beside the frequency principle's views and the first layer's condensation.
 */
import { CONDENSATION, condensationProbe, neuronsProbe } from '../../core/probes/condensation';
import { SHARPNESS, sharpnessProbe } from '../../core/probes/sharpness';
import { fitSchema } from '../fit/schema';
import { fitPhenomenon } from '../fit/phenomenon';
import { lossSpikeEvents, lossSpikeHeadline } from './spikes';

export { stabilityBound } from './spikes';

/** What the curvature probe knows: a 1-D tanh MLP on the mean squared error, trained by gradient descent. */
const lossSpikeSchema = fitSchema.superRefine((config, ctx) => {
  const needs = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message: `a loss-spike run ${message}` });
  if (config.data.inputs !== 1) needs(['data', 'inputs'], 'needs 1-D input');
  if (config.model.activation !== 'tanh') needs(['model', 'activation'], 'needs tanh (its Hessian is computed for tanh)');
  if (config.model.scales) needs(['model', 'scales'], 'takes a plain network (no input scales)');
  if (config.model.dropout > 0) needs(['model', 'dropout'], 'does not take dropout');
  if (config.train.loss !== 'data' || config.train.lossSwitchAt != null) needs(['train', 'loss'], 'trains on the data loss');
  if (config.train.optimizer !== 'sgd') needs(['train', 'optimizer'], 'trains by gradient descent (sgd): its stability bound is 2/η');
});

export const lossSpike = fitPhenomenon('loss-spike', {
  schema: lossSpikeSchema,
  probes: (network, config) => [
    sharpnessProbe(network),
    neuronsProbe(network.widths.length === 1),
    condensationProbe(1, network.widths.length === 1, { toleranceDeg: config.analysis.clusterToleranceDeg, massFraction: config.analysis.clusterMass }),
  ],
  progress: (snapshot) => {
    const sharpness = SHARPNESS.of(snapshot);
    const condensation = CONDENSATION.of(snapshot);
    return [sharpness ? `λ_max ${sharpness.lambdaMax.toFixed(2)}  gᵀHg/‖g‖² ${sharpness.gradientCurvature.toFixed(2)}` : '', condensation ? `directions ${condensation.directions}` : ''].join('  ');
  },
  events: lossSpikeEvents,
  headline: lossSpikeHeadline,
});
