/**
 * Draws the grayscale images shipped in public/images (64 × 64 PNG): the project's own pictures, so they are
 * free to use. Run: npx tsx scripts/make-images.ts
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const SIZE = 64;
/** Sub-samples per pixel side: edges are anti-aliased by averaging. */
const SUPERSAMPLE = 4;

/** A picture: intensity in [0, 1] at (u, v) ∈ [0, 1]², v downwards. */
type Picture = (u: number, v: number) => number;

const inDisc = (u: number, v: number, cu: number, cv: number, r: number) => (u - cu) ** 2 + (v - cv) ** 2 <= r * r;
const inBox = (u: number, v: number, u0: number, v0: number, u1: number, v1: number) => u >= u0 && u <= u1 && v >= v0 && v <= v1;

const house: Picture = (u, v) => {
  if (inDisc(u, v, 0.8, 0.18, 0.09)) return 1;
  const roofHeight = 0.22;
  const inRoof = v >= 0.3 && v <= 0.3 + roofHeight && Math.abs(u - 0.45) <= ((v - 0.3) / roofHeight) * 0.33;
  if (inRoof) return 0.15;
  if (inBox(u, v, 0.18, 0.52, 0.72, 0.85)) {
    if (inBox(u, v, 0.4, 0.64, 0.5, 0.85)) return 0.05;
    for (const u0 of [0.23, 0.56]) {
      if (inBox(u, v, u0, 0.6, u0 + 0.11, 0.71)) return Math.abs(u - (u0 + 0.055)) < 0.008 || Math.abs(v - 0.655) < 0.008 ? 0.4 : 0.97;
    }
    return 0.55;
  }
  if (v > 0.85) return 0.3;
  return 0.8 - 0.25 * v;
};

const face: Picture = (u, v) => {
  if (!inDisc(u, v, 0.5, 0.5, 0.4)) return 0.12;
  if (inDisc(u, v, 0.36, 0.4, 0.06) || inDisc(u, v, 0.64, 0.4, 0.06)) return 0.05;
  const r = Math.hypot(u - 0.5, v - 0.48);
  if (v > 0.55 && r > 0.2 && r < 0.26) return 0.1;
  return 0.85;
};

/** A zone plate: the local frequency grows with the radius, up to about half the pixel Nyquist rate at the rim. */
const rings: Picture = (u, v) => 0.5 + 0.5 * Math.cos(Math.PI * 24 * ((u - 0.5) ** 2 + (v - 0.5) ** 2));

function draw(picture: Picture, file: string): void {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let row = 0; row < SIZE; row++) {
    for (let col = 0; col < SIZE; col++) {
      let sum = 0;
      for (let i = 0; i < SUPERSAMPLE; i++) {
        for (let j = 0; j < SUPERSAMPLE; j++) sum += picture((col + (j + 0.5) / SUPERSAMPLE) / SIZE, (row + (i + 0.5) / SUPERSAMPLE) / SIZE);
      }
      const level = Math.round((255 * sum) / SUPERSAMPLE ** 2);
      png.data.set([level, level, level, 255], 4 * (row * SIZE + col));
    }
  }
  writeFileSync(file, PNG.sync.write(png));
}

draw(house, 'public/images/house.png');
draw(face, 'public/images/face.png');
draw(rings, 'public/images/rings.png');

/** The app icon (as favicon.svg): a dark rounded square with an orange wave that settles, at `size` pixels. */
function drawIcon(size: number, file: string): void {
  const png = new PNG({ width: size, height: size });
  const wave = (u: number) => 0.5 - 0.32 * Math.exp(-2.2 * u) * Math.sin(2 * Math.PI * 2.5 * u);
  const [dark, orange] = [[17, 17, 17], [230, 159, 0]];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      let [inside, onWave] = [0, 0];
      for (let i = 0; i < SUPERSAMPLE; i++) {
        for (let j = 0; j < SUPERSAMPLE; j++) {
          const [u, v] = [(col + (j + 0.5) / SUPERSAMPLE) / size, (row + (i + 0.5) / SUPERSAMPLE) / size];
          const corner = Math.hypot(Math.max(0, Math.abs(u - 0.5) - 0.31), Math.max(0, Math.abs(v - 0.5) - 0.31));
          if (corner > 0.19) continue;
          inside++;
          if (u > 0.08 && u < 0.92 && Math.abs(v - wave((u - 0.08) / 0.84)) < 0.045) onWave++;
        }
      }
      const total = SUPERSAMPLE ** 2;
      const rgb = dark.map((d, k) => Math.round((d * (inside - onWave) + orange[k] * onWave) / Math.max(inside, 1)));
      png.data.set([...rgb, Math.round((255 * inside) / total)], 4 * (row * size + col));
    }
  }
  writeFileSync(file, PNG.sync.write(png));
}

drawIcon(192, 'public/icon-192.png');
drawIcon(512, 'public/icon-512.png');
