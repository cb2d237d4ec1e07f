/** Chart series reduced to their screen resolution keep what the screen would show. */
import { describe, expect, it } from 'vitest';
import { decimateLine, lastPerPixel } from '../../src/ui/charts/decimate';

describe('decimateLine', () => {
  const pixel = (p: [number, number]) => p[0] / 10;
  const value = (p: [number, number]) => p[1];

  it('keeps the first, lowest, highest and last point of each pixel column, in order', () => {
    const points: [number, number][] = Array.from({ length: 1000 }, (_, i) => [i, Math.sin(i / 7) + (i === 503 ? 5 : 0)]);
    const kept = decimateLine(points, pixel, value);
    expect(kept.length).toBeLessThanOrEqual(4 * 100);
    expect(kept[0]).toBe(points[0]);
    expect(kept.at(-1)).toBe(points.at(-1));
    expect(kept).toContain(points[503]); // a spike survives
    for (let column = 0; column < 100; column++) {
      const inColumn = points.slice(10 * column, 10 * column + 10);
      const keptValues = kept.filter((p) => Math.floor(pixel(p)) === column).map(value);
      expect(Math.min(...keptValues)).toBe(Math.min(...inColumn.map(value)));
      expect(Math.max(...keptValues)).toBe(Math.max(...inColumn.map(value)));
    }
    expect(kept.map((p) => p[0])).toEqual([...kept.map((p) => p[0])].sort((a, b) => a - b));
  });

  it('leaves a line with fewer points than pixels as it is', () => {
    const points: [number, number][] = Array.from({ length: 50 }, (_, i) => [20 * i, i % 3]);
    expect(decimateLine(points, pixel, value)).toEqual(points);
  });
});

describe('lastPerPixel', () => {
  it('draws one column per pixel, the last that starts there', () => {
    expect(lastPerPixel([0, 0.2, 0.9, 1.1, 3, 3.5], (x) => x)).toEqual([2, 3, 5]);
    expect(lastPerPixel([0, 5, 10], (x) => x)).toEqual([0, 1, 2]);
  });
});
