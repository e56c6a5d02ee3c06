/**
 * npm run cards:preview: every template in cards/ bound with cards/samples/<name>.data.json, rendered by the
 * official adaptivecards renderer in headless Debian Chromium, to docs/cards/<name>.png.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { chromium } from 'playwright-core';

/** The page's globals, typed loosely: this file runs in Node, the callback in the browser. */
declare const window: { AdaptiveCards: any };
declare const document: { getElementById(id: string): { innerHTML: string; appendChild(n: unknown): void } | null };

const root = path.join(__dirname, '..');
const cardsDir = path.join(root, 'cards');
const outDir = path.join(root, 'docs/cards');

/** Close to Teams' light theme: Segoe-like font, Teams colours, 1.5 features. */
const hostConfig = {
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  supportsInteractivity: true,
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, attention: { default: '#C4314B' }, good: { default: '#237B4B' }, warning: { default: '#835C00' }, accent: { default: '#5B5FC7' } } },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    // Close to Teams' light-theme tints for the styled containers (badges, RAG): their text keeps the default colour.
    good: { backgroundColor: '#E7F2EA', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    attention: { backgroundColor: '#FCF4F6', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
  },
  actions: { maxActions: 6, buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 8 }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
};

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 560, height: 800 }, deviceScaleFactor: 1 });
    await page.setContent('<html><body style="margin:0;background:#EBEBEB"><div id="card" style="width:520px;margin:20px;background:#fff;border-radius:6px;padding:4px"></div></body></html>');
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.js') });
    // Every sample: <template>.data.json, and variants <template>.<variant>.data.json (to docs/cards/<template>.<variant>.png).
    const samples = readdirSync(path.join(cardsDir, 'samples')).filter((f) => f.endsWith('.data.json'));
    for (const file of readdirSync(cardsDir).filter((f) => f.endsWith('.json'))) {
      const template = file.replace(/\.json$/, '');
      const mine = samples.filter((f) => f.split('.')[0] === template);
      if (!mine.length) process.stdout.write(`${template}: no sample in cards/samples, skipped\n`);
      for (const sampleFile of mine) {
      const name = sampleFile.replace(/\.data\.json$/, '');
      const sample = JSON.parse(readFileSync(path.join(cardsDir, 'samples', sampleFile), 'utf8')) as object;
      const card = new ACData.Template(JSON.parse(readFileSync(path.join(cardsDir, file), 'utf8'))).expand({ $root: sample });
      const warnings = await page.evaluate(
        ({ card, hostConfig }) => {
          const AC = window.AdaptiveCards;
          const ac = new AC.AdaptiveCard();
          ac.hostConfig = new AC.HostConfig(hostConfig);
          const ctx = new AC.SerializationContext(AC.Versions.v1_5);
          ac.parse(card, ctx);
          const el = document.getElementById('card')!;
          el.innerHTML = '';
          el.appendChild(ac.render());
          return Array.from({ length: ctx.eventCount }, (_, i) => ctx.getEventAt(i).message as string);
        },
        { card, hostConfig },
      );
      await page.locator('#card').screenshot({ path: path.join(outDir, `${name}.png`) });
      process.stdout.write(`${name}: docs/cards/${name}.png${warnings.length ? ` (${warnings.length} renderer notes: ${warnings.join('; ').slice(0, 200)})` : ''}\n`);
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`cards:preview failed: ${(e as Error).message}\n`);
  process.exit(1);
});
