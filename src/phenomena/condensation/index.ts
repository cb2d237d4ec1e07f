/** Condensation: the first hidden layer's neurons gather on few directions when started small. */
import { CONDENSATION, condensationProbe, neuronsProbe } from '../../core/probes/condensation';
import { fitPhenomenon } from '../fit/phenomenon';
import { condensationEvents, condensationHeadline } from './events';

export const condensation = fitPhenomenon('condensation', {
  probes: (network, config) => {
    const twoLayer = network.widths.length === 1;
    const clustering = { toleranceDeg: config.analysis.clusterToleranceDeg, massFraction: config.analysis.clusterMass };
    return [neuronsProbe(twoLayer), condensationProbe(network.inputDim, twoLayer, clustering)];
  },
  progress: (snapshot) => {
    const metrics = CONDENSATION.of(snapshot);
    if (!metrics) return '';
    return `directions ${metrics.directions}${metrics.directionsCapped ? '+' : ''}  RD ${metrics.rd.toPrecision(3)}`;
  },
  events: condensationEvents,
  headline: condensationHeadline,
});
