/**
 * The home gallery and every page of the registry (a smoke test each new phenomenon gets for free), and the
 * production build as an installable app that works offline once loaded.
 */
import type { AddressInfo } from 'node:net';
import { preview } from 'vite';
import { describe, expect, it } from 'vitest';
import { PAGES } from '../../src/phenomena/pages';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('home page and offline app', () => {
  it('shows a card per phenomenon, each with its picture, leading to its page', async () => {
    const { page, errors } = await openPage(app.browser, app.url);
    await page.waitForSelector('.gallery .card');
    expect(await page.locator('.gallery .card').count()).toBe(PAGES.length);
    // Every thumbnail loaded (a missing file would have no natural size).
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.gallery img')].every((img) => img.complete && img.naturalWidth > 0), null, { timeout: 30_000 });
    await page.getByRole('link', { name: /Loss switch/ }).first().click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('Loss switch'));
    expect(await page.title()).toBe('Loss switch — Phenomena Explorer');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists every page of the registry in the navigation; each loads, trains a snapshot interval and shows its figures', async () => {
    const { page, errors } = await openPage(app.browser, app.url);
    const hrefs = await page.getByRole('navigation').getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs).toEqual(expect.arrayContaining(PAGES.map(({ route }) => `./#/${route}`)));
    for (const { route, title } of PAGES) {
      await page.goto(`${app.url}?backend=wasm#/${route}`);
      await page.waitForFunction((expected) => document.title === `${expected} — Phenomena Explorer`, title, { timeout: 30_000 });
      await waitForStatus(page, 'paused', 60_000);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0, null, { timeout: 60_000 });
      expect(await page.locator('figure').count(), route).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('is installable and works offline once loaded', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/frequency-principle`);
    const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href ?? '')).json());
    expect(manifest.name).toBe('Phenomena Explorer');
    expect(manifest.icons.map((icon: { sizes: string }) => icon.sizes)).toEqual(['192x192', '512x512']);
    // The service worker has cached the whole build once it controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
    await page.context().setOffline(true);
    await page.goto(`${app.url}?backend=wasm#/image`);
    await waitForStatus(page, 'paused', 60_000);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0, null, { timeout: 30_000 });
    await page.context().setOffline(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs from a folder of a static host: relative paths for assets, worker, wasm and images', async () => {
    // The same build, served under /some/folder/ instead of the root.
    const server = await preview({ base: '/some/folder/', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
    try {
      const port = (server.httpServer.address() as AddressInfo).port;
      const { page, errors } = await openPage(app.browser, `http://localhost:${port}/some/folder/?backend=wasm#/image`);
      await waitForStatus(page, 'paused', 60_000);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0, null, { timeout: 30_000 });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });
});
