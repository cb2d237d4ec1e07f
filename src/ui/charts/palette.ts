/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies and on a projector. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'] as const;
export const TARGET_COLOR = 'var(--fg)';
export const OUTPUT_COLOR = '#D55E00';

export function seriesColor(index: number): string {
  return OKABE_ITO[index % 4];
}

/** Phase-diagram regimes: sky blue, yellow, vermillion (Okabe–Ito), apart in hue and lightness. */
export const REGIME_COLORS = { linear: '#56B4E9', critical: '#F0E442', condensed: '#D55E00' } as const;
