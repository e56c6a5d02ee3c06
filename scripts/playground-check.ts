/**
 * npm run playground:check: with `npm run playground` running, opens the Agents Playground in headless
 * Debian Chromium, types "help" in the personal chat, waits for the bot's answer and saves a screenshot.
 */
import { chromium } from 'playwright-core';

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto('http://localhost:56150/', { waitUntil: 'networkidle' });
    const box = page.locator('textarea, [contenteditable="true"], input[type="text"]').first();
    await box.click();
    await box.fill('help');
    await page.keyboard.press('Enter');
    await page.getByText('Here is what you can do with Care Home Huddle').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: 'docs/playground-help.png' });
    process.stdout.write('The Playground shows the reply to "help": docs/playground-help.png\n');
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`playground check failed: ${(e as Error).message}\n`);
  process.exit(1);
});
