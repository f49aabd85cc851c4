import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { chromium, type Browser } from 'playwright-core';

/** CHROMIUM_PATH, or the first Chromium or Chrome on the PATH (scripts/ensure-chromium.sh makes sure of one). */
export const CHROMIUM =
  [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
    .filter((c): c is string => !!c)
    .map((c) => (c.includes('/') ? c : execFileSync('sh', ['-c', `command -v ${c} || true`], { encoding: 'utf8' }).trim()))
    .find((c) => c !== '' && fs.existsSync(c)) ?? '';

/** Headless Chromium, quiet: no network of its own, no updates, no first-run pages. */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no Chromium: apt-get install chromium, or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
