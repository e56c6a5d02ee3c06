import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards';
import { computeDigest } from '../domain/digest';
import { fixtureInput } from '../domain/digest/digest.fixture';
import { CARD_LIMIT_CHARS, digestCard, digestCardData, type DigestCardData } from './digest.card';

const data = digestCardData(computeDigest(fixtureInput()), (e) => (e === 'iain.shaw@nhs.example' ? 'Iain Shaw' : e));
const card = digestCard(data) as { version: string; body: Record<string, unknown>[] };
const text = JSON.stringify(card);

/** Parses as a 1.5 client does; answers the parsed card as JSON and any event other than "unknown element". */
function parse15(json: object) {
  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(json, ctx);
  const events = Array.from({ length: ctx.eventCount }, (_, i) => ctx.getEventAt(i)).filter((e) => e.event !== AC.ValidationEvent.UnknownElementType);
  return { json: JSON.stringify(parsed.toJSON()), events };
}

describe('the digest card', () => {
  it('binds every field', () => {
    expect(text).not.toContain('${');
    expect(card.version).toBe('1.5');
  });

  it('puts the headline figures first: completion with change, homes red, open escalations, overdue actions', () => {
    const headline = JSON.stringify(card.body.slice(0, 5));
    expect(headline).toContain('57%');
    expect(headline).toContain('Down 9.5 points on the week before (67%, 14 of 21)');
    expect(headline).toContain('Homes red this week');
    expect(headline).toContain('Open escalations');
    expect(headline).toContain('Overdue actions');
    expect(headline).toContain('Tayview Lodge (2 days), Kinnoull Court (7 days)');
  });

  it('has Teams charts, each with a fallback that shows the same figures as text', () => {
    const charts = card.body.filter((e) => String(e.type).startsWith('Chart.'));
    expect(charts.map((c) => c.type)).toEqual(['Chart.HorizontalBar.Stacked', 'Chart.Donut']);
    for (const c of charts) expect(c.fallback).toBeDefined();
    const bars = charts[0] as { data: { title: string; data: { legend: string; value: number }[] }[] };
    expect(bars.data.map((b) => b.data.find((s) => s.legend === 'Red')?.value ?? 0)).toEqual([1, 1, 1, 0, 0, 0, 0]);
    expect(JSON.stringify(charts[0].fallback)).toContain('Green 1 · Amber 0 · Red 1 · Not answered 1');
    expect(JSON.stringify(charts[1].fallback)).toContain('Red (overdue or off target)');
  });

  it('parses under Adaptive Cards 1.5, where the charts become their text fallbacks', () => {
    const { json, events } = parse15(card);
    expect(events).toEqual([]);
    expect(json).not.toContain('Chart.');
    expect(json).toContain('Wed 18 Nov');
    expect(json).toContain('Green (completed)');
  });

  it('expands per-home detail with ToggleVisibility, each target present and hidden at first', () => {
    const targets = [...text.matchAll(/"targetElements":\["([^"]+)"\]/g)].map((m) => m[1]);
    expect(targets).toContain('home-pkc-kinnoull');
    for (const id of targets) expect(text).toContain(`"id":"${id}","isVisible":false`);
    expect(text).toContain('**Birchwood House**: Red on 3 days · 7 of 7 answered');
    expect(text).toContain('**Kinnoull Court**: No answers · 0 of 7 answered');
    // the home list wraps: a text block a home (selectAction), not a row of buttons that runs off the card
    expect(text).not.toMatch(/"title":"Birchwood House: Red/);
    expect(text).toContain('falls with harm fewer than 3');
    expect(text).toContain('Escalated, owner Iain Shaw, open 6 days');
    expect(text).toContain('Birchwood House, Red on Mon 16 Nov, Tue 17 Nov, Wed 18 Nov: Staffing is red');
  });

  it('says colours in words, never by colour alone', () => {
    for (const bar of data.ragChart) for (const s of bar.data) expect(['Green', 'Amber', 'Red', 'Not answered']).toContain(s.legend);
    expect(data.actionsChart.map((s) => s.legend)).toEqual(['Green (completed): 2', 'Amber (on target): 2', 'Red (overdue or off target): 2']);
  });

  it('charts only what is there, Green first, in whole homes a day; a zero at a home is none', () => {
    const input = fixtureInput();
    const allGreen = digestCardData(computeDigest({ ...input, actions: input.actions.map((a) => ({ ...a, status: 'completed' as const, completedAt: '2026-11-18T12:00:00.000Z' })) }));
    expect(allGreen.actionsChart.map((s) => s.color)).toEqual(['good']);
    expect(allGreen.actionsChart[0].legend).toMatch(/^Green \(completed\): \d+$/);
    for (const bar of data.ragChart) for (const s of bar.data) expect(Number.isInteger(s.value) && s.value > 0).toBe(true);
    const bound = JSON.stringify(digestCard(data));
    expect(bound).not.toContain('Chart.Line');
    expect(text).toContain('unexpected deaths none');
    expect(text).not.toMatch(/unexpected deaths fewer than 3/);
    const none = digestCardData(computeDigest({ ...input, actions: [] }));
    expect(JSON.stringify(digestCard(none))).toContain("No improvement actions in the area's plans.");
    expect(JSON.stringify(digestCard(none))).not.toContain('Chart.Donut');
  });

  it('has a sample for the preview that binds every field of the template and parses under 1.5', () => {
    const sample = JSON.parse(readFileSync(path.join(__dirname, '../../cards/samples/digest.data.json'), 'utf8')) as DigestCardData;
    expect(Object.keys(sample).sort()).toEqual(Object.keys(data).sort());
    const bound = digestCard(sample);
    expect(JSON.stringify(bound)).not.toContain('${');
    expect(parse15(bound).events).toEqual([]);
  });

  it('stays within Teams’ card size for a large area, most concerning homes first, quiet homes in one line', () => {
    const input = fixtureInput();
    const homes = Array.from({ length: 300 }, (_, i) => ({ id: `h${i}`, name: `Home ${i}`, registeredPlaces: 30 }));
    const reds = homes.map((h) => ({ homeId: h.id, date: '2026-11-20', rag: 'red' as const, reasons: ['Protection concern raised'] }));
    const escalations = homes.map((h) => ({ id: `esc-${h.id}`, homeId: h.id, state: 'open', openedAt: '2026-11-20T10:00:00.000Z', events: [] }));
    const big = digestCardData(computeDigest({ ...input, homes: [...input.homes, ...homes], huddles: [...input.huddles, ...reds], escalations: [...input.escalations, ...escalations] }));
    const bound = JSON.stringify(digestCard(big));
    expect(bound.length).toBeLessThanOrEqual(CARD_LIMIT_CHARS);
    expect(big.homes[0].name).toBe('Birchwood House'); // red on 3 days
    expect(bound).toContain('left out to fit Teams');
    expect(bound).toMatch(/…and \d+ more, not shown to fit Teams' card size/);
    const quiet = digestCardData(computeDigest({ ...input, huddles: [...input.huddles, ...['16', '17', '18', '19', '20', '21', '22'].map((d) => ({ homeId: 'pkc-kinnoull', date: `2026-11-${d}`, rag: 'green' as const, reasons: [] }))] }));
    expect(quiet.quietHomes).toContain('Kinnoull Court');
    expect(quiet.homes.map((h) => h.name)).toEqual(['Birchwood House', 'Tayview Lodge']);
  });
});

describe('the digest card: Care Inspectorate notifications', () => {
  const input = fixtureInput();
  const records = [
    { homeId: 'pkc-birchwood', date: '2026-11-17', kind: 'fall' },
    { homeId: 'pkc-birchwood', date: '2026-11-18', kind: 'death' },
  ];
  const n = digestCardData(computeDigest({ ...input, notifications: records }));
  const bound = JSON.stringify(digestCard(n));

  it('says in the headline how many were recorded as notified and where they are not, and has its own section', () => {
    expect(n.headline.notifications).toBe('Care Inspectorate: 5 notifiable events, 2 recorded as notified; not recorded yet at Birchwood House, Tayview Lodge.');
    expect(n.notificationFacts).toEqual([
      { title: 'Notifiable events', value: '5' },
      { title: 'Recorded as notified', value: '2' },
      { title: 'Not recorded as notified', value: '3' },
      { title: 'Deaths', value: '2, 1 recorded as notified' },
      { title: 'New outbreaks', value: '1, 0 recorded as notified' },
      { title: 'Falls with harm', value: '2, 1 recorded as notified' },
    ]);
    expect(bound).toContain('"id":"section-notifications","isVisible":false');
    expect(bound).toContain('"title":"Care Inspectorate notifications"');
  });

  it('keeps the small-number rule by home: no home-level 1 or 2, the not-notified named by kind and day', () => {
    expect(n.notificationHomes.map((l) => l.line)).toEqual([
      'Birchwood House: notifiable events 4 · recorded as notified fewer than 3 · not recorded fewer than 3. Not recorded as notified: new outbreak (Thu 19 Nov), death (Sat 21 Nov)',
      'Tayview Lodge: notifiable events fewer than 3 · recorded as notified none · not recorded fewer than 3. Not recorded as notified: fall with harm (Mon 16 Nov)',
    ]);
    for (const l of n.notificationHomes) expect(l.line).not.toMatch(/(events|notified|recorded) [12]\b/);
    expect(bound).toContain('"title":"Care Inspectorate","value":"notifiable events 4');
    expect(bound).toContain('"title":"Care Inspectorate","value":"No notifiable events"');
    expect(parse15(digestCard(n)).events).toEqual([]);
  });

  it('says when all were recorded, and when there were none', () => {
    const all = [...records, { homeId: 'pkc-birchwood', date: '2026-11-19', kind: 'outbreak' }, { homeId: 'pkc-birchwood', date: '2026-11-21', kind: 'death' }, { homeId: 'pkc-tayview', date: '2026-11-16', kind: 'fall' }];
    expect(digestCardData(computeDigest({ ...input, notifications: all })).headline.notifications).toBe('Care Inspectorate: 5 notifiable events, 5 recorded as notified, all of them.');
    const none = digestCardData(computeDigest({ ...input, huddles: input.huddles.map((r) => ({ ...r, deaths: 0, fallsWithHarm: 0, outbreakStatus: 'none' as const })) }));
    expect(none.headline.notifications).toBe('Care Inspectorate: no notifiable events this week.');
    expect(none.notificationHomes).toEqual([]);
  });

  it('cuts a long list of homes to fit Teams’ card size and says how many were left out', () => {
    const homes = Array.from({ length: 400 }, (_, i) => ({ id: `h${i}`, name: `Home ${i}`, registeredPlaces: 30 }));
    const deaths = homes.map((h) => ({ homeId: h.id, date: '2026-11-20', rag: 'green' as const, reasons: [], deaths: 1, unexpectedDeaths: 0 }));
    const big = digestCardData(computeDigest({ ...input, homes: [...input.homes, ...homes], huddles: [...input.huddles, ...deaths] }));
    expect(big.notificationHomes).toHaveLength(402);
    const text = JSON.stringify(digestCard(big));
    expect(text.length).toBeLessThanOrEqual(CARD_LIMIT_CHARS);
    expect(text).toMatch(/…and \d+ more, not shown to fit Teams' card size/);
    expect(text).toContain('Care Inspectorate: 405 notifiable events, 0 recorded as notified; not recorded yet at');
  });
});
