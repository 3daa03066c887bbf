// The frame every browser script shares: Debian's chromium (or $CHROMIUM), headless, driven by
// playwright-core; and a run that fills one object with what the browser saw and prints it as
// one JSON line, with ok (and the error when a step threw), once the browser is closed.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
}

// Runs steps(browser), which writes what it sees into `seen`, then prints `seen`.
export async function run(seen, steps) {
  const browser = await launch();
  try {
    await steps(browser);
    seen.ok = true;
  } catch (e) {
    seen.ok = false;
    seen.error = String(e && e.stack || e);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
}
