import { describe, expect, it } from 'vitest';
import { estimateSecondsPerStep, formatSeconds, slowWarning } from '../../src/ui/slowConfig';

describe('the warning before a slow config', () => {
  // The canonical F-Principle network on its points, at a rate this machine gives it.
  const rate = { parameters: 60_801, points: 101, secondsPerStep: 0.002 };

  it('scales a measured rate by parameters × points', () => {
    expect(estimateSecondsPerStep({ parameters: 60_801, points: 101 }, rate)).toBeCloseTo(0.002, 12);
    expect(estimateSecondsPerStep({ parameters: 121_602, points: 404 }, rate)).toBeCloseTo(0.016, 12);
  });

  it('names the size and the time a step and an interval for a config that will be slow, nothing for a brisk one', () => {
    // Eight hidden layers of 2048 on 4096 points, the case.
    const heavy = { parameters: 29_380_609, points: 4096 };
    expect(slowWarning(heavy, rate, 100)).toBe(
      '29,380,609 parameters on 4,096 points: about 39 s a step and 1.1 h between snapshots here (from 2 ms a step measured on the current run, 60,801 parameters on 101 points)',
    );
    expect(slowWarning({ parameters: 60_801, points: 4096 }, rate, 100)).toBeNull();
    // Not yet measured: the size alone, above about 10⁹ multiply-adds a step.
    expect(slowWarning(heavy, null, 100)).toBe('29,380,609 parameters on 4,096 points: a step costs about 1.2e+11 multiply-adds, seconds or more here');
    expect(slowWarning({ parameters: 60_801, points: 101 }, null, 100)).toBeNull();
  });

  it('reads durations in the unit that fits', () => {
    expect([0.00035, 4.2, 210, 7560, 1.08e6].map(formatSeconds)).toEqual(['0.35 ms', '4.2 s', '3.5 min', '2.1 h', '300 h']);
  });
});
