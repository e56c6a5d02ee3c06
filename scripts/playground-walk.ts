/**
 * npm run playground:walk -- STEP...: with `npm run playground` running, drives the Agents Playground in headless
 * Debian Chromium through the steps given and saves a screenshot at each `shot:`, for looking at what a person sees.
 *   open:NAME       open the chat or channel of that name ("Personal Chat", "Huddles")
 *   say:TEXT        type TEXT in the compose box and send it (in a channel, with the bot @mentioned first)
 *   wait:TEXT       wait until TEXT shows on the page (20 s)
 *   click:TEXT      click the last button (or card action) with that text
 *   tap:CARD=TEXT   click the button TEXT on the last card showing CARD
 *   fill:LABEL=V    fill the last input labelled LABEL with V
 *   pick:LABEL=V    choose V in the last choice set labelled LABEL (a drop-down, or radio buttons)
 *   shot:NAME       save docs/playground/NAME.png (the last card, whole; the page when there is none)
 *   card:TEXT=NAME  save docs/playground/NAME.png of the last card showing TEXT
 *   page:NAME       save docs/playground/NAME.png of the whole window
 * Example: npm run playground:walk -- open:Huddles "say:link area pkc" "wait:now linked" shot:linked
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const OUT = path.join(__dirname, '..', 'docs', 'playground');

type Where = 'personal' | 'group' | 'channel';

async function say(page: Page, text: string, where: Where): Promise<void> {
  // Teams gives a bot only the group-chat and channel messages that @mention it: the mention is picked from the list
  const mention = async () => {
    await page.keyboard.type('@Care');
    await page.getByRole('menuitem', { name: 'Care Home Huddle' }).first().click();
    await page.keyboard.type(' ');
  };
  if (where === 'channel') {
    await page.getByRole('textbox').first().click(); // a new post
    await mention();
    await page.keyboard.type(text);
    await page.getByRole('button', { name: 'Post' }).click();
    return;
  }
  await page.getByRole('textbox').last().click();
  if (where === 'group') await mention();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function main(): Promise<void> {
  const steps = process.argv.slice(2);
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  let where: Where = 'personal';
  let page: Page | undefined;
  try {
    page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    await page.goto(process.env.PLAYGROUND_URL ?? 'http://localhost:56150/', { waitUntil: 'networkidle' });
    for (const step of steps) {
      const [verb, ...rest] = step.split(':');
      const arg = rest.join(':');
      process.stdout.write(`${step}\n`);
      if (verb === 'open') {
        await page.getByText(arg, { exact: true }).first().click();
        where = arg === 'Personal Chat' ? 'personal' : (await page.getByText('Teams Channel').isVisible()) && ['General', 'Huddles'].includes(arg) ? 'channel' : 'group';
        await page.waitForTimeout(800);
      } else if (verb === 'say') {
        await say(page, arg, where);
        await page.waitForTimeout(1500);
      } else if (verb === 'wait') {
        await page.getByText(arg).last().waitFor({ timeout: 20_000 });
      } else if (verb === 'click') {
        await page.getByRole('button', { name: arg }).last().click();
        await page.waitForTimeout(1500);
      } else if (verb === 'fill') {
        const [label, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
        await page.getByLabel(label).and(page.locator('input, textarea')).last().fill(value);
      } else if (verb === 'pick') {
        const [label, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
        const combo = page.getByLabel(label).and(page.getByRole('combobox')).last();
        if (await combo.count()) {
          await combo.click();
          await page.getByRole('option', { name: value }).first().click();
        } else await page.getByRole('radio', { name: value }).last().check();
      } else if (verb === 'shot') {
        await page.waitForTimeout(500);
        // the last card in the conversation, whole (the pane scrolls), or the page when there is none
        const card = page.locator('.ac-adaptiveCard').last();
        if (await card.count()) await card.screenshot({ path: path.join(OUT, `${arg}.png`) });
        else await page.screenshot({ path: path.join(OUT, `${arg}.png`) });
      } else if (verb === 'tap') {
        const [text, button] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
        await page.locator('.ac-adaptiveCard').filter({ hasText: text }).last().getByRole('button', { name: button }).last().click();
        await page.waitForTimeout(1500);
      } else if (verb === 'card') {
        const [text, name] = [arg.slice(0, arg.lastIndexOf('=')), arg.slice(arg.lastIndexOf('=') + 1)];
        await page.waitForTimeout(500);
        await page.locator('.ac-adaptiveCard').filter({ hasText: text }).last().screenshot({ path: path.join(OUT, `${name}.png`) });
      } else if (verb === 'page') {
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(OUT, `${arg}.png`) });
      } else throw new Error(`unknown step ${step}`);
    }
  } catch (e) {
    await page?.screenshot({ path: path.join(OUT, '_failed.png'), fullPage: true }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`playground walk failed: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(1);
});
