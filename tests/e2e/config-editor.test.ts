/** The config editor: live schema validation naming the field, refused configs keep the last good run, Apply without a reload. */
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
});
