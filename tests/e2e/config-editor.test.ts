/** The config editor: live schema validation naming the field, refused configs keep the last good run, Apply without a reload. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('config editor in Chromium', () => {
  it('names the broken field, keeps the last good run, and applies a good config', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/frequency-principle`);
    await waitForStatus(page, 'paused');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '10');
    await page.getByText('Edit the config (JSON)').click();
    const editor = page.locator('[data-testid=config-editor]');
    await page.waitForFunction(() => ((document.querySelector('[data-testid=config-editor]') as HTMLTextAreaElement | null)?.value.length ?? 0) > 0);
    const config = JSON.parse(await editor.inputValue());
    expect(config.phenomenon).toBe('fprinciple-1d');

    await editor.fill(JSON.stringify({ ...config, model: { ...config.model, widths: [0, 50] } }));
    await page.waitForFunction(() => /model\.widths\.0: /.test(document.querySelector('[data-testid=config-problems]')?.textContent ?? ''));
    expect(await page.isDisabled('[data-testid=config-apply]')).toBe(true);
    await editor.fill('{ "name": ');
    await page.waitForFunction(() => /not valid JSON/.test(document.querySelector('[data-testid=config-problems]')?.textContent ?? ''));

    // A target that is not a finite float32 on the points is refused as it is typed (what the engine would refuse),
    // in the problems' own case, and the run stays.
    for (const target of ['log(x)', 'exp(1000*x)']) {
      await editor.fill(JSON.stringify({ ...config, data: { ...config.data, target } }));
      await page.waitForFunction(() => /data\.target: target .* at x = /.test(document.querySelector('[data-testid=config-problems]')?.textContent ?? ''));
      expect(await page.isDisabled('[data-testid=config-apply]')).toBe(true);
    }
    expect(await page.locator('[data-testid=config-problems]').evaluate((element) => getComputedStyle(element).textTransform)).toBe('none');
    expect(await page.textContent('[data-testid=step]')).toBe('10');

    await editor.fill(JSON.stringify({ ...config, train: { ...config.train, lr: 0.001 } }, null, 2));
    await page.click('[data-testid=config-apply]');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '0' && document.querySelector('[data-testid=status]')?.textContent === 'paused', null, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('lr')).toBe('0.001');
    expect(await page.getByRole('status').filter({ hasText: 'applied' }).textContent()).toMatch(/^applied: the run restarted/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('previews a target as it is typed, with the peaks the run would track', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/frequency-principle`);
    await waitForStatus(page, 'paused');
    const input = page.locator('[data-testid=target-input]');
    await input.fill('sin(2*x) + 0.5*sin(7*x)');
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-peaks]')?.textContent?.includes('k = 2, k = 7'));
    await input.fill('sin(2*x) + exp(');
    await page.waitForFunction(() => /No preview: cannot parse/.test(document.querySelector('[data-testid=target-preview]')?.textContent ?? ''));
    // Typing alone changes nothing: the run is still the canonical one.
    expect(new URL(page.url()).searchParams.has('target')).toBe(false);

    // Every chart downloads as SVG (standalone, the heat map's canvas embedded) and as PNG.
    const heatMap = page.locator('figure').nth(1);
    await heatMap.hover();
    const [svgFile] = await Promise.all([page.waitForEvent('download'), heatMap.getByRole('button', { name: 'SVG' }).click()]);
    const svg = readFileSync((await svgFile.path()) as string, 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<image');
    expect(svgFile.suggestedFilename()).toMatch(/^relative-error.*\.svg$/);
    const [pngFile] = await Promise.all([page.waitForEvent('download'), heatMap.getByRole('button', { name: 'PNG' }).click()]);
    expect(readFileSync((await pngFile.path()) as string).subarray(1, 4).toString()).toBe('PNG');
    expect(errors).toEqual([]);
    await page.close();
  });
});
