/**
 * The networks the CPU step is compared with PyTorch on, built identically by torch_reference.py: 1-w-w-(w/2)-1
 * tanh (w = 200 is the canonical F-Principle network) on sin x + sin 3x + sin 5x at n points of [−π, π), with
 * initial weights uniform in ±1/√fanIn (PyTorch's default range) from xorshift32, which both languages compute
 * exactly: the same float32 weights on both sides.
 */
import type { LayerParams } from '../../src/core/models/mlpSpec';

export const CANONICAL_WIDTH = 200;
export const CANONICAL_POINTS = 61;
export const REFERENCE_LR = 2e-4;

export const referenceSizes = (width: number): number[] => [1, width, width, width / 2, 1];

/** Inputs and targets ([points, 1] each, in double before the float32 rounding, as Python computes them). */
export function referenceData(points: number): { x: Float32Array; y: Float32Array } {
  const xs = Array.from({ length: points }, (_, j) => -Math.PI + (j * 2 * Math.PI) / points);
  return { x: Float32Array.from(xs), y: Float32Array.from(xs, (x) => Math.sin(x) + Math.sin(3 * x) + Math.sin(5 * x)) };
}

/** Every layer's weights (row-major [fanIn, fanOut]) then bias, drawn in that order from one generator. */
export function referenceParams(width: number): LayerParams[] {
  let state = 2463534242;
  const uniform = (bound: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (2 * ((state >>> 0) / 2 ** 32) - 1) * bound;
  };
  const sizes = referenceSizes(width);
  return sizes.slice(1).map((fanOut, i) => {
    const fanIn = sizes[i];
    const bound = 1 / Math.sqrt(fanIn);
    const weights = Float32Array.from({ length: fanIn * fanOut }, () => uniform(bound));
    return { fanIn, fanOut, weights, bias: Float32Array.from({ length: fanOut }, () => uniform(bound)) };
  });
}
