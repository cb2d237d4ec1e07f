/**
 * Screenshots of each phenomenon training in the app, for the home page's cards (public/thumbs/*.png).
 * Run: npx tsx scripts/thumbnails.ts (builds the app and drives Debian's Chromium, as the browser tests do).
 */
import { mkdirSync } from 'node:fs';
import { buildAndServe, launchChromium, openPage } from '../tests/support/browser';

/** Page, seconds of training, which figure (0-based) to capture, extra link parameters. */
const SHOTS = [
  { page: 'frequency-principle', seconds: 4, figure: 1, params: '' },
  { page: 'image', seconds: 25, figure: 1, params: '' },
  { page: 'mnist', seconds: 15, figure: 0, params: '' },
  { page: 'multiscale', seconds: 25, figure: 1, params: '' },
  { page: 'loss-switch', seconds: 30, figure: 0, params: '' },
  { page: 'condensation', seconds: 10, figure: 0, params: '' },
  { page: 'condensation-2d', seconds: 10, figure: 0, params: '' },
  { page: 'phase-diagram', seconds: 0, figure: 0, params: '&widths=100,200&maxSteps=2000' },
];

mkdirSync('public/thumbs', { recursive: true });
const served = await buildAndServe();
const browser = await launchChromium();
try {
  for (const shot of SHOTS) {
    const { page } = await openPage(browser, `${served.url}?backend=wasm${shot.params}#/${shot.page}`, { width: 1400, height: 900 });
    if (shot.page === 'phase-diagram') {
      await page.getByRole('button', { name: /Run sweep/ }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => /Run again/.test(b.textContent ?? '') && !b.disabled), null, { timeout: 300_000 });
    } else {
      await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'paused', null, { timeout: 90_000 });
      await page.keyboard.press('Space');
      await page.waitForTimeout(shot.seconds * 1000);
      await page.keyboard.press('Space');
    }
    await page.locator('figure').nth(shot.figure).screenshot({ path: `public/thumbs/${shot.page}.png` });
    await page.close();
    process.stderr.write(`${shot.page} done\n`);
  }
} finally {
  await browser.close();
  await served.close();
}
