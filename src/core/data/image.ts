/**
 * Grayscale images as targets of the 2-D frequency principle: decoded pixels (from a PNG in Node, a canvas
 * in the browser) become intensities in [0, 1], then an n × n grid on the experiment's domain.
 */

/** Decoded RGBA pixels, row-major from the top-left corner. */
export interface RgbaImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** Intensities in [0, 1], row-major from the top-left corner. */
export interface GrayImage {
  width: number;
  height: number;
  gray: number[];
}

/** The images the project ships in public/images (drawn by scripts/make-images.ts, MIT like the code). */
export const SHIPPED_IMAGES = [
  { src: 'images/house.png', title: 'House' },
  { src: 'images/face.png', title: 'Face' },
  { src: 'images/rings.png', title: 'Rings (zone plate)' },
] as const;

/** Largest side a dropped image keeps (it is averaged down first), so configs and exports stay small. */
export const MAX_IMAGE_SIDE = 64;

/** Rec. 709 luminance, with transparent pixels composited over white (as a page shows them). */
export function toGray({ width, height, data }: RgbaImage): GrayImage {
  const gray = Array.from({ length: width * height }, (_, i) => {
    const [r, g, b, a] = [data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3] / 255];
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    return a * luminance + (1 - a);
  });
  return { width, height, gray };
}

/**
 * Area-average resampling of `image` to `columns` × `rows`: each output cell is the mean of the source
 * pixels it covers, weighted by the covered fraction, so no detail aliases into false low frequencies.
 */
export function resampleGray(image: GrayImage, columns: number, rows: number): number[] {
  const out = new Array<number>(columns * rows);
  const sx = image.width / columns;
  const sy = image.height / rows;
  for (let r = 0; r < rows; r++) {
    const [y0, y1] = [r * sy, (r + 1) * sy];
    for (let c = 0; c < columns; c++) {
      const [x0, x1] = [c * sx, (c + 1) * sx];
      let sum = 0;
      for (let py = Math.floor(y0); py < Math.min(Math.ceil(y1), image.height); py++) {
        const wy = Math.min(y1, py + 1) - Math.max(y0, py);
        for (let px = Math.floor(x0); px < Math.min(Math.ceil(x1), image.width); px++) {
          const wx = Math.min(x1, px + 1) - Math.max(x0, px);
          sum += wx * wy * image.gray[py * image.width + px];
        }
      }
      out[r * columns + c] = sum / (sx * sy);
    }
  }
  return out;
}

/** Shrinks an image so its longer side is at most `maxSide` (kept as is when already small). */
export function limitSize(image: GrayImage, maxSide = MAX_IMAGE_SIDE): GrayImage {
  const factor = Math.max(image.width, image.height) / maxSide;
  if (factor <= 1) return image;
  const [width, height] = [Math.max(1, Math.round(image.width / factor)), Math.max(1, Math.round(image.height / factor))];
  return { width, height, gray: resampleGray(image, width, height) };
}

/**
 * The image on the n × n training grid, row-major with y outer and ascending (row 0 is the image's bottom
 * row), the layout of the other 2-D targets.
 */
export function imageOnGrid(image: GrayImage, n: number): Float64Array {
  const topDown = resampleGray(image, n, n);
  const values = new Float64Array(n * n);
  for (let r = 0; r < n; r++) values.set(topDown.slice((n - 1 - r) * n, (n - r) * n), r * n);
  return values;
}

/** An image target in a config: where it came from and, once loaded, its intensities. */
export interface ImageRef {
  src: string;
  width?: number;
  height?: number;
  gray?: number[];
}

export type DecodeImage = (src: string) => Promise<RgbaImage>;

/** The config with its image's intensities filled in (decoded from `src` when the config does not carry them). */
export async function withImagePixels<T extends { data: { image?: ImageRef | null } }>(config: T, decode: DecodeImage): Promise<T> {
  const image = config.data.image;
  if (!image || image.gray) return config;
  let decoded: RgbaImage;
  try {
    decoded = await decode(image.src);
  } catch (error) {
    throw new Error(`cannot load the image "${image.src}": ${(error as Error).message}`, { cause: error });
  }
  return { ...config, data: { ...config.data, image: { src: image.src, ...limitSize(toGray(decoded)) } } };
}
