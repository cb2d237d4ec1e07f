/**
 * Screenshots of every phenomenon page after some seconds of training, at 1280 × 800 (a common projector) and
 * 1920 × 1080, in presentation mode (key f) and out: what a lecturer sees without scrolling.
 * Run: npm run screenshots [-- --out DIR] [route ...] (default test-artifacts/screens; builds the app and drives
 * Debian's Chromium, as the browser tests do).
 * `npm run screenshots -- --docs [route ...]`: the README's pictures instead (docs/screenshot-ROUTE.png, the
 * F-Principle page as docs/screenshot.png), at 1280 × 800 out of presentation mode, after the page's thumbnail time.
 * `npm run screenshots -- --event [route ...]`: in presentation mode at both sizes, the run stopped by itself at the
 * page's first event (pause at events), its call-out showing (ROUTE-WIDTH-event.png).
 * `npm run screenshots -- --presenting --out docs/presentation`: in presentation mode alone (ROUTE-WIDTH.png), the
 * README's gallery of every page as a lecture hall sees it.
 */
import { mkdirSync } from 'node:fs';
import { PAGES } from '../src/phenomena/pages';
import { buildAndServe, launchChromium, openPage, trainForThumbnail, waitForStatus } from '../tests/support/browser';

const args = process.argv.slice(2);
const docs = args.includes('--docs');
const atEvent = args.includes('--event');
const presentingOnly = args.includes('--presenting');
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : docs ? 'docs' : 'test-artifacts/screens';
const routes = args.filter((a) => !a.startsWith('--'));
const SIZES = docs
  ? [{ width: 1280, height: 800 }]
  : [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
    ];

mkdirSync(out, { recursive: true });
const served = await buildAndServe();
const browser = await launchChromium();
try {
  for (const { route, thumbnail } of PAGES.filter((p) => !routes.length || routes.includes(p.route))) {
    for (const size of SIZES) {
      const { page } = await openPage(browser, `${served.url}?backend=wasm${thumbnail.params ?? ''}#/${route}`, size);
      await waitForStatus(page, 'paused');
      if (atEvent) {
        for (const key of ['f', 'e', 'Space']) await page.keyboard.press(key);
        await page.waitForSelector('[data-testid=stopped-at]', { timeout: 120_000 });
        // The call-out has faded in; it stays a few seconds.
        await page.waitForTimeout(600);
        await page.screenshot({ path: `${out}/${route}-${size.width}-event.png` });
        await page.close();
        continue;
      }
      await page.keyboard.press('Space');
      // A page whose thumbnail waits for a step count (grokking, anchors) shows its phenomenon only by then.
      await trainForThumbnail(page, docs ? thumbnail : { seconds: Math.min(thumbnail.seconds, 10), steps: thumbnail.steps });
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent !== 'playing');
      if (docs) {
        await page.screenshot({ path: `${out}/${route === 'frequency-principle' ? 'screenshot' : `screenshot-${route}`}.png` });
      } else {
        if (!presentingOnly) await page.screenshot({ path: `${out}/${route}-${size.width}.png` });
        await page.keyboard.press('f');
        await page.waitForTimeout(300);
        await page.screenshot({ path: `${out}/${route}-${size.width}${presentingOnly ? '' : '-presenting'}.png` });
      }
      await page.close();
      process.stderr.write(`${route} ${size.width} done\n`);
    }
  }
} finally {
  await browser.close();
  await served.close();
}
