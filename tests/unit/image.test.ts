import { describe, expect, it } from 'vitest';
import { imageOnGrid, limitSize, resampleGray, toGray, withImagePixels, type GrayImage } from '../../src/core/data/image';
import { parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { experimentFile } from '../support/engine';
import { decodePng } from '../../src/cli/decodePng';

const rgba = (...pixels: number[][]) => ({ width: pixels.length, height: 1, data: pixels.flat() });

describe('image targets', () => {
  it('reads luminance, with transparency over white', () => {
    const { gray } = toGray(rgba([0, 0, 0, 255], [255, 255, 255, 255], [0, 255, 0, 255], [0, 0, 0, 0], [0, 0, 0, 51]));
    expect(gray[0]).toBe(0);
    expect(gray[1]).toBeCloseTo(1, 12);
    expect(gray[2]).toBeCloseTo(0.7152, 12);
    expect(gray[3]).toBe(1);
    expect(gray[4]).toBeCloseTo(0.8, 12);
  });

  it('resamples by area: block means, and the mean is kept at any ratio', () => {
    const image: GrayImage = { width: 4, height: 4, gray: [0, 0, 1, 1, 0, 0, 1, 1, 0.2, 0.2, 0.6, 0.6, 0.2, 0.2, 0.6, 0.6] };
    expect(resampleGray(image, 2, 2).map((v) => +v.toFixed(12))).toEqual([0, 1, 0.2, 0.6]);
    expect(resampleGray(image, 1, 1)[0]).toBeCloseTo(0.45, 12);
    const out = resampleGray(image, 3, 3);
    expect(out.reduce((s, v) => s + v, 0) / 9).toBeCloseTo(0.45, 12);
    const up = resampleGray(image, 8, 8);
    expect(up[0]).toBe(0);
    expect(up[7]).toBe(1);
  });

  it('puts the top row of the picture at the largest y of the grid', () => {
    const image: GrayImage = { width: 2, height: 2, gray: [1, 1, 0, 0] };
    expect(Array.from(imageOnGrid(image, 2))).toEqual([0, 0, 1, 1]);
  });

  it('shrinks large images to at most 64 pixels a side, keeping the aspect', () => {
    const big: GrayImage = { width: 256, height: 128, gray: new Array(256 * 128).fill(0.5) };
    const small = limitSize(big);
    expect([small.width, small.height]).toEqual([64, 32]);
    expect(small.gray.every((v) => Math.abs(v - 0.5) < 1e-12)).toBe(true);
  });

  it('loads a shipped image into the config, and names the image when it cannot', async () => {
    const config = parseFor(fprinciple1d, experimentFile('fprinciple-image.json'));
    const loaded = await withImagePixels(config, decodePng);
    expect([loaded.data.image?.width, loaded.data.image?.height]).toEqual([64, 64]);
    expect(parseFor(fprinciple1d, loaded)).toEqual(loaded);
    const missing = parseFor(fprinciple1d, { ...config, data: { ...config.data, image: { src: 'images/none.png' } } });
    await expect(withImagePixels(missing, decodePng)).rejects.toThrow(/cannot load the image "images\/none.png"/);
  });

  it('refuses a config with both or neither of a target and an image, or pixels of the wrong count', () => {
    const config = experimentFile('fprinciple-image.json') as { data: Record<string, unknown> };
    expect(() => parseFor(fprinciple1d, { ...config, data: { ...config.data, target: 'x' } })).toThrow(/data.target: give either a target expression or an image/);
    expect(() => parseFor(fprinciple1d, { ...config, data: { ...config.data, image: undefined } })).toThrow(/data.target: give either/);
    expect(() => parseFor(fprinciple1d, { ...config, data: { ...config.data, image: { src: 'a.png', width: 2, height: 2, gray: [0, 1, 0] } } })).toThrow(/data.image.gray: needs width × height/);
    expect(() => parseFor(fprinciple1d, { ...config, data: { ...config.data, inputs: 1 } })).toThrow(/data.image: an image target needs inputs = 2/);
  });
});
