/**
 * What a user does never leaves a page stuck or loses a run (issue 19): refused targets and malformed links keep
 * the last good run playable and out of the link, presets write every run into the link, a diverged run survives a
 * reload and reopens from the run list, and an exported chart stands alone.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

const step = async (page: Page) => Number(await page.textContent('[data-testid=step]'));
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

/** The page's current runs as the autosave wrote them to IndexedDB. */
function keptRecords(page: Page): Promise<{ diverged?: { step: number } }[] | null> {
  return page.evaluate(
    (hash) =>
      new Promise((resolve) => {
        const request = indexedDB.open('phenomena-explorer');
        request.onsuccess = () => {
          const get = request.result.transaction('current').objectStore('current').get(hash);
          get.onsuccess = () => resolve(get.result?.records ?? null);
        };
      }),
    new URL(page.url()).hash,
  );
}

describe('nothing a user does leaves a page stuck', () => {
  it('reads a malformed link with one notice per problem, refuses a target the engine cannot train, and keeps playing', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&foo=1&foo=1&constructor=1&lr=0x1&every=5#/frequency-principle`);
    await waitForStatus(page, 'paused');
    const notices = await page.locator('.notice li').allTextContents();
    expect(notices).toEqual([
      'link parameter "foo" is given 2 times; only the first was read',
      'unknown link parameter "foo" ignored',
      'unknown link parameter "constructor" ignored',
      expect.stringMatching(/^ignored lr=0x1: train\.lr: /),
    ]);

    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '5');
    const input = page.getByLabel('Target f(x)');
    await input.fill('exp(1000*x)');
    await input.press('Enter');
    await expect.poll(() => page.textContent('.error')).toMatch(/^data\.target: .*overflows float32/);
    expect(param(page, 'target')).toBeNull();
    expect(await step(page)).toBe(5);
    // A target the points cannot hold is said to alias; a target with no peak does not leave the lede hanging.
    await input.fill('sin(100*x)');
    await expect.poll(() => page.textContent('[data-testid=preview-aliased]')).toMatch(/above k = \d+, the Nyquist frequency of \d+ points/);
    await input.fill('sin(3*x)');
    await expect.poll(() => page.locator('[data-testid=preview-aliased]').count()).toBe(0);
    await input.fill('0');
    await input.press('Enter');
    await expect.poll(() => page.textContent('.lede')).toMatch(/\(this target has no frequency peak to watch\)\./);
    // Space plays the run that stayed.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) >= 15, null, { timeout: 60_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');

    // A link whose target the engine cannot train is refused by validation: the page has its settings and plays.
    await page.goto(`${app.url}?backend=wasm&target=1%2Fx#/frequency-principle`);
    await waitForStatus(page, 'paused');
    expect(await page.locator('.notice li').allTextContents()).toEqual([expect.stringMatching(/^ignored target=1\/x: data\.target: .*at x = 0$/)]);
    expect(await page.getByLabel('Target f(x)').inputValue()).not.toBe('1/x');

    // A chart's SVG stands alone: no CSS variable left, its legend inside.
    const figure = page.locator('figure', { has: page.locator('.legend li') }).first();
    const legend = await figure.locator('.legend li').allTextContents();
    await figure.hover();
    const [svgFile] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'SVG' }).click()]);
    const svg = readFileSync((await svgFile.path()) as string, 'utf8');
    expect(svg).not.toContain('var(');
    for (const name of legend) expect(svg).toContain(`>${name.trim()}</text>`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('writes both runs of a preset into the link, and Space plays after a clicked preset', async () => {
    // An unknown route says so before it shows the start page.
    const { page, errors } = await openPage(app.browser, `${app.url}#/no-such-page`);
    expect(await page.textContent('[data-testid=unknown-route]')).toBe('There is no page at “#/no-such-page”: this is the start page.');
    await page.goto(`${app.url}?backend=wasm#/condensation`);
    expect(await page.locator('[data-testid=unknown-route]').count()).toBe(0);
    await waitForStatus(page, 'paused');
    await page.click('[data-testid=preset-2]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('b.act') === 'tanh', null, { timeout: 60_000 });
    expect(param(page, 'act')).toBe('tanh');
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'playing');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    // A reload brings both runs back as tanh.
    await page.reload();
    await waitForStatus(page, 'paused');
    expect([param(page, 'act'), param(page, 'b.act')]).toEqual(['tanh', 'tanh']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a two-run page counts the slower run\'s steps and says how the runs train', async () => {
    // Run A much larger than run B, so B runs ahead.
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&widths=512,512,512&every=10#/multiscale`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) >= 100, null, { timeout: 120_000 });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-run]')]);
    const { runs } = JSON.parse(readFileSync((await file.path()) as string, 'utf8')) as { runs: { snapshots: { step: number }[] }[] };
    const steps = runs.map((run) => run.snapshots[run.snapshots.length - 1].step);
    expect(steps[0]).toBeLessThan(steps[1]);
    expect(await step(page)).toBe(Math.min(...steps));
    // Both train on the CPU step now (the MscaleDNN too): one line says so, without naming each run.
    const bar = await page.textContent('[data-testid=backend]');
    expect(bar).toMatch(/Trains by hand-written gradients/);
    expect(bar).not.toMatch(/Run A: trains/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps a diverged run through a reload, saves it, and reopens it from the run list', async () => {
    const link = `?backend=wasm&opt=sgd&lr=10&act=relu&target=${encodeURIComponent('1e18*sin(x)')}&every=2#/frequency-principle`;
    const { page, errors } = await openPage(app.browser, `${app.url}${link}`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'diverged');
    const stopped = await step(page);
    await expect.poll(() => keptRecords(page), { timeout: 30_000 }).toEqual([expect.objectContaining({ diverged: expect.objectContaining({ step: expect.any(Number) }) })]);

    await page.reload();
    await waitForStatus(page, 'diverged');
    expect(await step(page)).toBe(stopped);
    expect(await page.textContent('[data-testid=message]')).toMatch(/training diverged/);

    page.once('dialog', (dialog) => void dialog.accept('diverged run'));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=file-message]')?.textContent?.includes('diverged run'));
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '0');
    await waitForStatus(page, 'paused');

    await page.goto(`${app.url}#/runs`);
    await page.waitForSelector('[data-testid=run-list]');
    await page.locator('tr', { hasText: 'diverged run' }).getByRole('button', { name: 'Open' }).click();
    await page.waitForFunction(() => location.hash === '#/frequency-principle');
    await waitForStatus(page, 'diverged');
    expect(await step(page)).toBe(stopped);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lays out its labels apart, in the viewport, on the 2-D pages and on a phone (item 7)', async () => {
    /** Axis titles, colour-bar titles and polar labels that overlap another (the boxes of their glyphs). */
    const overlapping = (page: Page) =>
      page.evaluate(() => {
        const texts = [...document.querySelectorAll('svg text.axis-label, svg text.ring-label, svg text.spoke-label')].map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
        return texts.flatMap((a, i) =>
          texts.slice(i + 1).filter((b) => Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left) > 1 && Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) > 1).map((b) => `${a.text} / ${b.text}`),
        );
      });
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/condensation-2d`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.textContent('h1')).toMatch(/Condensation in 2-D/);
    expect(await page.locator('svg text.axis-label', { hasText: 'grid point' }).count()).toBe(0);
    // The polar view's ring labels stand on one spoke each, apart from each other and from the axis titles.
    expect(await page.locator('svg text.ring-label').count()).toBeGreaterThan(0);
    expect(await overlapping(page)).toEqual([]);
    await page.goto(`${app.url}?backend=wasm#/image`);
    await waitForStatus(page, 'paused');
    expect(await overlapping(page)).toEqual([]);
    // On a phone the file buttons stay on the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}?backend=wasm#/frequency-principle`);
    await waitForStatus(page, 'paused');
    const outside = await page.locator('.files button, .files label').evaluateAll((elements) => elements.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => e.textContent?.trim()));
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks before opening a link to a config that will train slowly, and pauses inside one step of it', async () => {
    // 4.2 M parameters on 4096 points: a step is some 10¹¹ floating-point operations, seconds here.
    const link = `${app.url}?backend=wasm&widths=2048,2048&points=4096&every=10#/frequency-principle`;
    const { page, errors } = await openPage(app.browser, `${app.url}#/`);
    // Declined: the page starts from the experiment file, says why, and rewrites the link to what it runs.
    const declined = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.message()))));
    await page.goto(link);
    console.info(await declined);
    expect(await declined).toMatch(/^This link's config will train slowly: 4,\d{3},\d{3} parameters on 4,096 points: .+\. Start it\?$/);
    await waitForStatus(page, 'paused');
    expect(await page.textContent('[data-testid=message]')).toMatch(/^the experiment file's settings are used instead of the link's, which will train slowly: 4,/);
    expect(param(page, 'widths')).toBeNull();

    // Accepted: the run starts; a pause pressed while its first step is under way stops inside that step, which
    // is dropped: the page shows step 0 (before, the pause waited for the step and showed step 1).
    const accepted = new Promise<void>((resolve) => page.once('dialog', (dialog) => void dialog.accept().then(resolve)));
    await page.goto(link);
    await accepted;
    await waitForStatus(page, 'paused');
    expect(param(page, 'widths')).toBe('2048,2048');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Space');
    await waitForStatus(page, 'playing');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    expect(await step(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pauses an expensive run within its interval, and asks before starting a config that will train slowly', async () => {
    // About 0.25 M parameters on 1024 points, a thousand steps between snapshots: the interval takes minutes.
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm&widths=500,500&points=1024&every=1000#/frequency-principle`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'playing');
    // Long enough for the worker to be inside the interval (a step here takes tens of milliseconds); a pause
    // pressed before its first step would rightly stop at step 0.
    await page.waitForTimeout(3000);
    await page.keyboard.press('Space');
    // The pause is taken after the step under way: the page shows where the run stopped, inside the interval.
    await waitForStatus(page, 'paused');
    const stopped = await step(page);
    console.info(`paused at step ${stopped} of an interval of 1000`);
    expect(stopped).toBeGreaterThan(0);
    expect(stopped).toBeLessThan(1000);

    // Thirty times the parameters on four times the points: the page asks first, with the size and a time a step
    // from the rate the run just measured; declined, the run stays as it was.
    await page.getByText('Edit the config (JSON)').click();
    const editor = page.locator('[data-testid=config-editor]');
    await page.waitForFunction(() => ((document.querySelector('[data-testid=config-editor]') as HTMLTextAreaElement | null)?.value.length ?? 0) > 0);
    const config = JSON.parse(await editor.inputValue());
    await editor.fill(JSON.stringify({ ...config, model: { ...config.model, widths: [2048, 2048, 2048] }, data: { ...config.data, points: 4096 } }));
    const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.message()))));
    await page.click('[data-testid=config-apply]');
    console.info(await asked);
    expect(await asked).toMatch(/^This config will train slowly: 8,398,849 parameters on 4,096 points: about [\d.]+ (s|min|h) a step and [\d.]+ (min|h) between snapshots here \(from [\d.]+ (ms|s) a step measured on the current run, 252,001 parameters on 1,024 points\)\. Start it\?$/);
    await expect.poll(() => page.textContent('.editor [role=status]')).toMatch(/^kept the current run: 8,398,849 parameters/);
    expect(await step(page)).toBe(stopped);
    expect(await page.textContent('[data-testid=status]')).toBe('paused');
    expect(errors).toEqual([]);
    await page.close();
  });
});
