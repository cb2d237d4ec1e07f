/** Node's image decoder: a PNG file under public/ (as the app serves it) or at a path. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../core/data/image';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

export async function decodePng(src: string): Promise<RgbaImage> {
  const served = resolve(PUBLIC_DIR, src);
  const png = PNG.sync.read(readFileSync(existsSync(served) ? served : src));
  return { width: png.width, height: png.height, data: png.data };
}
