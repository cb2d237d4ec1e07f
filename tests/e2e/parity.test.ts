/** The parity page in Chromium: the paper's run ends with every training sign right and the test signs near chance. */
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../support/app';
import { openPage, waitForStatus } from '../support/browser';

const app = useServedApp();

describe('parity page in Chromium', () => {
  it('fits the training points and not the test points', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}#/parity`, { width: 1280, height: 800 });
    await waitForStatus(page, 'paused');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'done', 300_000);
    const line = ((await page.textContent('[data-testid=generalization]')) ?? '').replace(/\s+/g, ' ');
    const match = /signs right on (\d+) % of the training points and ([\d.]+) % of the 824 test points/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match?.[1])).toBe(100);
    expect(Number(match?.[2])).toBeLessThan(65);
    await page.screenshot({ path: 'test-artifacts/parity-1280.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
