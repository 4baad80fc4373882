import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, installed with apt (.ci/run does it); playwright-core drives it and never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Without chromium they skip with a
 * message on a user's machine, but fail under CI=true: CI installs it, so a
 * missing browser there means something broke, and the suite must not pass
 * by skipping.
 */
export function haveChromium(what: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `${CHROMIUM_PATH} not found: ${what} needs chromium (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`${message}, and CI always installs it`);
  console.warn(`${message}: skipping`);
  return false;
}

/** Headless, no sandbox (containers run as root), and nothing that reaches for the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
