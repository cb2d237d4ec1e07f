/** Browser-test set-up (vitest hooks), kept apart from browser.ts so the bench can use that without vitest. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp, launchChromium, serveBuilt, type Served } from './browser';

/** Written into dist/ after a build: the test run it was built for. */
const BUILT_FOR = 'dist/.built-for-test-run';

/** The production build, made by the first browser test file of a run and served to the others (each build took ~20 s). */
async function buildOncePerRun(): Promise<void> {
  const run = inject('testRun');
  if (existsSync(BUILT_FOR) && readFileSync(BUILT_FOR, 'utf8') === run) return;
  await buildApp();
  writeFileSync(BUILT_FOR, run);
}

/**
 * For a browser test file: builds and serves the app and starts Chromium before its tests, closes both after.
 * The returned object's fields are set once beforeAll has run.
 */
export function useServedApp(): { url: string; browser: Browser } {
  const app = {} as { url: string; browser: Browser };
  let served: Served | undefined;
  beforeAll(async () => {
    mkdirSync('test-artifacts', { recursive: true });
    await buildOncePerRun();
    served = await serveBuilt();
    app.url = served.url;
    app.browser = await launchChromium();
  });
  afterAll(async () => {
    await app.browser?.close();
    await served?.close();
  });
  return app;
}
