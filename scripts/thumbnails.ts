/**
 * Screenshots of each phenomenon training in the app, for the home page's cards (public/thumbs/*.png).
 * Run: npm run thumbnails [-- route ...] (every page of the registry, or those named; builds the app and drives
 * Debian's Chromium, as the browser tests do).
 */
import { mkdirSync } from 'node:fs';
import { PAGES } from '../src/phenomena/pages';
import { buildAndServe, launchChromium, openPage, trainForThumbnail, waitForStatus } from '../tests/support/browser';

mkdirSync('public/thumbs', { recursive: true });
const served = await buildAndServe();
const browser = await launchChromium();
try {
  const named = process.argv.slice(2);
  for (const { route, thumbnail } of PAGES.filter((p) => !named.length || named.includes(p.route))) {
    const { page } = await openPage(browser, `${served.url}?backend=wasm${thumbnail.params ?? ''}#/${route}`, { width: 1400, height: 900 });
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await trainForThumbnail(page, thumbnail);
    await page.keyboard.press('Space');
    await page.locator('figure').nth(thumbnail.figure).screenshot({ path: `public/thumbs/${route}.png` });
    await page.close();
    process.stderr.write(`${route} done\n`);
  }
} finally {
  await browser.close();
  await served.close();
}
