/** The frequency principle in one dimension: Δ_F at each peak of the target's spectrum (also MscaleDNN and the loss switch). */
import { fitPhenomenon } from '../fit/phenomenon';

export const fprinciple1d = fitPhenomenon('fprinciple-1d');
