/** Answering a huddle: who may, the answer checked, stored as a new version, a red one escalated. */
import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { huddleFormCard, huddleMessageCard, huddleSummaryCard } from '../cards/huddle.card';
import { isManagerOf, type Area, type DirectoryView, type Home, type Person } from '../domain/directory';
import { assess, parseAnswerBasis, parseHuddle, type AnswerBasis } from '../domain/huddle';
import { isIsoDate, localDate } from '../domain/calendar';
import { raiseFromHuddle } from '../escalations/raise';
import type { StoredHuddle } from '../storage/huddles.table';
import { isConflict } from '../storage/client';

/** How far back an answer may be given or amended (a weekend's huddles on Monday, say). */
const AMEND_DAYS = 7;
/** Storage that has not answered by now gets "not saved": inside the 5 s the spec allows, and Teams' invoke time. */
const SAVE_TIMEOUT_MS = 4000;

export type Card = object;

export interface Asker {
  person: Person | undefined;
  dir: DirectoryView;
}

type Place = { ok: true; home: Home; area: Area; date: string } | { ok: false; card: Card };

/** The home and date a card names, and whether this person may answer for them. */
export function placeFor(ctx: AppContext, { person, dir }: Asker, data: Record<string, unknown>): Place {
  if (!person) return { ok: false, card: huddleMessageCard('Not in the directory', `I can't find you in the Care Home Huddle directory, so I can't take a huddle from you. Please ask ${dir.admins().map((p) => p.name).join(' or ') || ctx.config.HELP_CONTACT} to add you.`) };
  const home = typeof data.homeId === 'string' ? dir.homes.get(data.homeId) : undefined;
  if (!home) return { ok: false, card: huddleMessageCard('Not saved', 'This card names no home in the directory. Type **huddle** for a new card. Nothing was saved.') };
  if (!isManagerOf(person, home.id)) {
    ctx.log.info({ home: home.id, code: 'HUDDLE.NOT_YOUR_HOME' }, 'huddle refused');
    return { ok: false, card: huddleMessageCard('Not saved', `Only the managers of ${home.name} can answer its huddle. Nothing was saved.`) };
  }
  const area = dir.areas.get(home.area)!;
  const today = localDate(ctx.clock(), area.timezone);
  const date = typeof data.date === 'string' ? data.date : '';
  const earliest = DateTime.fromISO(today).minus({ days: AMEND_DAYS }).toISODate()!;
  if (!isIsoDate(date) || date > today || date < earliest) {
    return { ok: false, card: huddleMessageCard('Not saved', `This card is for a date that can't be answered now (answers are taken for today and the ${AMEND_DAYS} days before). Type **huddle** for today's card. Nothing was saved.`) };
  }
  return { ok: true, home, area, date };
}

const summaryOf = (h: StoredHuddle, home: Home, area: Area, message = '') =>
  huddleSummaryCard({ home, date: h.date, answer: h.answer, rag: h.rag, reasons: h.reasons, answeredBy: h.answeredBy, answeredAt: h.answeredAt, version: h.version, timezone: area.timezone, message });

/** The card for a home and date: the summary when answered, else the blank form. */
export async function cardFor(ctx: AppContext, home: Home, area: Area, date: string): Promise<Card> {
  const stored = await ctx.huddles.get(area.id, date, home.id);
  return stored ? summaryOf(stored, home, area) : huddleFormCard(home, date);
}

/** The form pre-filled with what is stored, for an amendment. */
export async function amendCard(ctx: AppContext, home: Home, area: Area, date: string): Promise<Card> {
  const stored = await ctx.huddles.get(area.id, date, home.id);
  if (!stored) return huddleFormCard(home, date);
  return huddleFormCard(home, date, stored.answer as unknown as Record<string, unknown>, {}, `Amending the answer given by ${stored.answeredBy}.`, basisOfStored(stored));
}

const basisOfStored = (h: StoredHuddle): AnswerBasis | undefined => (h.etag ? { version: h.version, etag: h.etag } : undefined);

const withTimeout = <T>(p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('storage timeout')), SAVE_TIMEOUT_MS).unref())]);

/** Checks, stores and escalates an answer; answers the card to show the person who sent it. */
export async function submitHuddle(ctx: AppContext, person: Person, home: Home, area: Area, date: string, data: Record<string, unknown>): Promise<Card> {
  const basis = parseAnswerBasis(data);
  if (basis === false) {
    ctx.log.info({ home: home.id, date, code: 'HUDDLE.BAD_BASIS' }, 'huddle answer refused');
    return huddleMessageCard('Not saved', 'This card does not say which answer it amends. Type **huddle** for a new card. Nothing was saved.');
  }
  const parsed = parseHuddle(data, home);
  if (!parsed.ok) {
    ctx.log.info({ home: home.id, date, code: parsed.code, fields: Object.keys(parsed.fields ?? {}) }, 'huddle answer refused');
    return huddleFormCard(home, date, data, parsed.fields ?? {}, parsed.message, basis);
  }
  const { rag, reasons } = assess(parsed.value);
  const notSaved = () => huddleFormCard(home, date, data, {}, 'Not saved: the answer could not be stored just now. Please try again (your answers are kept below).', basis);
  const answer = { areaId: area.id, homeId: home.id, date, answer: parsed.value, rag, reasons, answeredBy: person.email, answeredAt: ctx.clock().toISOString() };
  let saved: StoredHuddle;
  try {
    // An amend card replaces the version it was opened on, in one transaction; a blank form stores the first answer or amends it.
    saved = await withTimeout(basis ? ctx.huddles.amend(answer, basis) : ctx.huddles.save(answer));
  } catch (e) {
    if (isConflict(e)) {
      const now = await ctx.huddles.get(area.id, date, home.id).catch(() => undefined);
      if (now && basis) {
        ctx.log.info({ home: home.id, date, code: 'HUDDLE.CHANGED' }, 'huddle amendment refused: changed since opened');
        return huddleFormCard(home, date, data, {}, `Not saved: ${now.answeredBy} changed this answer after you opened it (it is now version ${now.version}). Your answers are kept below: submit again to replace it.`, basisOfStored(now));
      }
      if (now) return summaryOf(now, home, area, `${now.answeredBy} saved an answer at the same moment: this is what is stored. Use Amend to change it.`);
    }
    ctx.log.warn({ home: home.id, date, err: (e as Error).message }, 'huddle not saved');
    return notSaved();
  }
  ctx.log.info({ home: home.id, date, rag, version: saved.version }, 'huddle saved');
  let message = saved.version > 1 ? 'Amended. Thank you.' : 'Saved. Thank you.';
  if (rag === 'red') {
    try {
      await raiseFromHuddle(ctx, { areaId: area.id, homeId: home.id, date, reasons, by: person.email });
    } catch (e) {
      ctx.log.error({ home: home.id, date, err: (e as Error).message }, 'red huddle not escalated');
      message += ' The support team could not be told automatically just now: please use "Raise a concern".';
    }
  }
  return summaryOf(saved, home, area, message);
}
