/** Finding loss spikes relative to the running minimum, on curves with known spikes. */
import { describe, expect, it } from 'vitest';
import { lossSpikes } from '../../src/phenomena/loss-spike/spikes';

const curve = (losses: number[]) => losses.map((loss, i) => ({ step: 2 * i, loss }));

describe('loss spikes', () => {
  it('finds each rise above factor × the running minimum, its peak and where it recovers', () => {
    const spikes = lossSpikes(curve([1, 0.5, 0.4, 0.3, 1, 3, 2, 0.4, 0.35, 0.3, 0.25, 2, 0.3]), 3);
    expect(spikes).toEqual([
      { start: 8, peak: 10, ratio: 10, end: 14 },
      { start: 22, peak: 22, ratio: 8, end: 24 },
    ]);
  });

  it('a monotone curve, or one that wiggles below the factor, has none; a run ending inside a spike leaves it open', () => {
    expect(lossSpikes(curve([1, 0.8, 0.6, 0.4, 0.2]), 3)).toEqual([]);
    expect(lossSpikes(curve([1, 0.5, 0.9, 0.5, 1.4, 0.5]), 3)).toEqual([]);
    expect(lossSpikes(curve([1, 0.1, 0.5, 0.9]), 3)).toEqual([{ start: 4, peak: 6, ratio: 9, end: null }]);
  });
});
