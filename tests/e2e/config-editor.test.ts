/** The config editor: live schema validation naming the field, refused configs keep the last good run, Apply without a reload. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage } from '../support/browser';

const app = useServedApp();

describe('config editor in Chromium', () => {
  it('names the broken field, keeps the last good run, and applies a good config', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/frequency-principle`);
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'paused', null, { timeout: 90_000 });
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

    // Valid for the schema, but the target is not a real number on the points: the engine refuses it and the run stays.
    await editor.fill(JSON.stringify({ ...config, data: { ...config.data, target: 'log(x)' } }));
    await page.waitForFunction(() => /Valid config/.test(document.querySelector('[data-testid=config-problems]')?.textContent ?? ''));
    await page.click('[data-testid=config-apply]');
    await page.waitForFunction(() => /not a finite real number/.test(document.querySelector('[data-testid=message]')?.textContent ?? ''), null, { timeout: 30_000 });
    expect(await page.textContent('[data-testid=step]')).toBe('10');
    expect(await page.textContent('[data-testid=status]')).toBe('paused');

    await editor.fill(JSON.stringify({ ...config, train: { ...config.train, lr: 0.001 } }, null, 2));
    await page.click('[data-testid=config-apply]');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '0' && document.querySelector('[data-testid=status]')?.textContent === 'paused', null, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('lr')).toBe('0.001');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('previews a target as it is typed, with the peaks the run would track', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?backend=wasm#/frequency-principle`);
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'paused', null, { timeout: 90_000 });
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
