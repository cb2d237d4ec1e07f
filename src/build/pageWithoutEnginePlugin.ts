/**
 * Vite plugin for the page's build: a phenomenon's run is built (tfjs and all) only in the worker, so the
 * dynamic imports by which a phenomenon starts its run stay unresolved in the page's bundle instead of emitting
 * a second copy of the engine there. The page's thread parses configs with the same registry but never starts a
 * run; a test checks its chunks hold no tfjs module.
 */
import type { Plugin } from 'vite';

const PHENOMENA = /[\\/]src[\\/]phenomena[\\/]/;

export function pageWithoutEngine(): Plugin {
  return {
    name: 'page-without-engine',
    apply: 'build',
    resolveDynamicImport(specifier, importer) {
      // Pages load on demand too (pages.ts): only the runs' builds stay out.
      if (typeof specifier !== 'string' || !importer || !PHENOMENA.test(importer) || specifier.endsWith('.svelte')) return null;
      return false;
    },
  };
}
