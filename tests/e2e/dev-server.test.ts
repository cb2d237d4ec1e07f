/** `npm run dev` (the README's first command) serves a working app: the worker loads and trains, images and digits included. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, serveDev, type Served, waitForStatus } from '../support/browser';

let server: Served;
let browser: Browser;
let url: string;

beforeAll(async () => {
  server = await serveDev();
  url = server.url;
  browser = await launchChromium();
  // Warm-up: on first load the dev server may find new dependencies, optimize them and reload the page.
  for (const hash of ['#/frequency-principle', '#/mnist']) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { page } = await openPage(browser, `${url}?backend=wasm${hash}`);
      const ready = await waitForStatus(page, 'paused', 120_000)
        .then(() => true)
        .catch(() => false);
      await page.close();
      if (ready) break;
    }
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('development server', () => {
  it.each(['#/frequency-principle', '#/image', '#/mnist'])('trains on %s', async (hash) => {
    const { page, errors } = await openPage(browser, `${url}?backend=wasm${hash}`);
    await waitForStatus(page, 'paused', 120_000);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0, null, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
