/**
 * Builds the app, serves it on localhost and drives Debian's Chromium with playwright-core (never a browser
 * download). WebGPU comes from SwiftShader; http://localhost is a secure context, so navigator.gpu exists.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, createServer, preview } from 'vite';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error(
      'Chromium not found for the browser tests. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary. Looked in: ' + CANDIDATES.filter(Boolean).join(', '),
    );
  }
  return found;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Production build into dist/, then vite preview on a free port. */
export async function buildAndServe(): Promise<Served> {
  await buildApp();
  return serveBuilt();
}

export async function buildApp(): Promise<void> {
  await build({ logLevel: 'warn' });
}

/** vite preview of dist/ on a free port. */
export async function serveBuilt(): Promise<Served> {
  const server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const address = server.httpServer.address() as AddressInfo;
  return { url: `http://localhost:${address.port}/`, close: () => server.close() };
}

/** Vite's dev server (what `npm run dev` starts) on a free port; it also serves the bench pages under tests/. */
export async function serveDev(): Promise<Served> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  return { url: `http://localhost:${address.port}/`, close: () => server.close() };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-unsafe-swiftshader',
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Opens `url` and collects console errors and uncaught exceptions. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1600, height: 1000 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}


/** Trains the page's runs for a card's picture: `seconds`, then, with `steps`, until the play bar has reached that step (no time limit). */
export async function trainForThumbnail(page: Page, { seconds, steps }: { seconds: number; steps?: number }): Promise<void> {
  await page.waitForTimeout(seconds * 1000);
  if (steps !== undefined) await page.waitForFunction((target) => Number(document.querySelector('[data-testid=step]')?.textContent) >= target, steps, { timeout: 0, polling: 1000 });
}

/** Waits until the play bar's status reads `status` ('paused', 'done', …); a page's first load can take a minute on a busy machine. */
export async function waitForStatus(page: Page, status: string, timeout = 90_000): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('[data-testid=status]')?.textContent === expected, status, { timeout });
}
