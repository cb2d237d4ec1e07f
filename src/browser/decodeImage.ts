/** The browser's image decoder (main thread or worker): any format the browser reads, to RGBA pixels. */
import type { RgbaImage } from '../core/data/image';

export async function decodeImageBlob(blob: Blob): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2-D canvas to decode the image');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/**
 * An image served with the app, by its path relative to the page: a worker is named with the page's base URL
 * (see Runner), since the app may live in any folder of a static host.
 */
export async function decodeServedImage(src: string): Promise<RgbaImage> {
  const response = await fetch(new URL(src, self.name || self.location.href));
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return decodeImageBlob(await response.blob());
}
