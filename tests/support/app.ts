/** Browser-test set-up (vitest hooks), kept apart from browser.ts so the bench can use that without vitest. */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildAndServe, launchChromium, type Served } from './browser';

/**
 * For a browser test file: builds and serves the app and starts Chromium before its tests, closes both after.
 * The returned object's fields are set once beforeAll has run.
 */
export function useServedApp(): { url: string; browser: Browser } {
  const app = {} as { url: string; browser: Browser };
  let served: Served | undefined;
  beforeAll(async () => {
    mkdirSync('test-artifacts', { recursive: true });
    served = await buildAndServe();
    app.url = served.url;
    app.browser = await launchChromium();
  });
  afterAll(async () => {
    await app.browser?.close();
    await served?.close();
  });
  return app;
}
