/** The frequency principle on 2-D input (a function of (x, y) or an image): Δ_F in radial bands of the 2-D spectrum. */
import { fitPhenomenon } from '../fit/phenomenon';

export const fprinciple2d = fitPhenomenon('fprinciple-2d');
