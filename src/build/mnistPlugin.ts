/**
 * Vite plugin: `import digits from 'virtual:mnist-digits'` gives the digits the app ships, read from the `mnist`
 * package at build time and embedded as base64 (about 1 MB), so the page needs no download at run time.
 */
import type { Plugin } from 'vite';
import { readPackageDigits } from '../cli/mnistDigits.ts';

const ID = 'virtual:mnist-digits';
const RESOLVED = `\0${ID}`;

export function mnistDigits(): Plugin {
  return {
    name: 'mnist-digits',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      const { count, pixels, labels } = readPackageDigits();
      const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
      return `export default ${JSON.stringify({ count, pixels: base64(pixels), labels: base64(labels) })};`;
    },
  };
}
