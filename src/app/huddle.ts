/**
 * The daily huddle (§3): which card a manager gets, and answering it — who may, the answer checked,
 * stored once per home and date (an amendment replaces the version it was opened on), a red one escalated.
 */
import type { HuddleCardView, SummaryInput } from '../cards/huddle.card';
import type { AppContext } from '../context';
import { isManagerOf, type Area, type DirectoryView, type Home, type Person } from '../domain/directory';
import { notInDirectory } from '../domain/help';
import { assess, formStart, parseAnswerBasis, parseHuddle, type AnswerBasis, type LastAnswer } from '../domain/huddle';
import { addDays, isIsoDate, localDate, whenLabel } from '../domain/calendar';
import { isConflict } from '../storage/client';
import { isUnconfirmed } from '../storage/deadline';
import type { AnswerIntent, StoredHuddle } from '../storage/huddles.table';
import { raiseFromHuddle } from './escalation-open';
import { notificationLines, recordNotified, recordNotifiedWithAnswer } from './notifications';
import { done, refuse, type Asker, type CardData, type Outcome } from './outcome';

/** How far back an answer may be given or amended (a weekend's huddles on Monday, say). */
const AMEND_DAYS = 7;

type HuddleOutcome = Outcome<HuddleCardView>;
/** `today`: the area's date now, which the card's date was checked against. */
type Place = { ok: true; person: Person; home: Home; area: Area; date: string; today: string } | { ok: false; refusal: HuddleOutcome };

/** The home and date a card names, and whether this person may answer for them. */
function placeFor(ctx: AppContext, { person, dir }: Asker, data: CardData): Place {
  const no = (code: string, message: string): Place => ({ ok: false, refusal: refuse(code, message) });
  if (!person) return no('HUDDLE.NOT_IN_DIRECTORY', `I can't find you in the Care Home Huddle directory, so I can't take a huddle from you. Please ask ${dir.admins().map((p) => p.name).join(' or ') || ctx.config.HELP_CONTACT} to add you.`);
  const home = typeof data.homeId === 'string' ? dir.homes.get(data.homeId) : undefined;
  if (!home) return no('HUDDLE.NO_SUCH_HOME', 'This card names no home in the directory. Type **huddle** for a new card. Nothing was saved.');
  if (!isManagerOf(person, home.id)) {
    ctx.log.info({ home: home.id, code: 'HUDDLE.NOT_YOUR_HOME' }, 'huddle refused');
    return no('HUDDLE.NOT_YOUR_HOME', `Only the managers of ${home.name} can answer its huddle. Nothing was saved.`);
  }
  const area = dir.areas.get(home.area)!;
  const today = localDate(ctx.clock(), area.timezone);
  const date = typeof data.date === 'string' ? data.date : '';
  const earliest = addDays(today, -AMEND_DAYS);
  if (!isIsoDate(date) || date > today || date < earliest) {
    return no('HUDDLE.BAD_DATE', `This card is for a date that can't be answered now (answers are taken for today and the ${AMEND_DAYS} days before). Type **huddle** for today's card. Nothing was saved.`);
  }
  return { ok: true, person, home, area, date, today };
}

/** The read-only answer, with its Care Inspectorate notifications and whether each is recorded. */
const summaryOf = async (ctx: AppContext, h: StoredHuddle, home: Home, area: Area, dir: DirectoryView): Promise<HuddleCardView> => ({
  kind: 'summary',
  summary: { ...summaryInput(h, home, area, dir), notifications: await notificationLines(ctx, dir, area, h) },
});
const summaryInput = (h: StoredHuddle, home: Home, area: Area, dir: DirectoryView): SummaryInput => ({
  home, date: h.date, answer: h.answer, rag: h.rag, reasons: h.reasons, answeredByName: dir.displayName(h.answeredBy), answeredAt: h.answeredAt, version: h.version, timezone: area.timezone,
});

/** A new card for a home and date: event counts at 0, residents and beds from the home's last answer of the week before. */
const newForm = (home: Home, date: string, last: LastAnswer | undefined, message?: string): HuddleCardView => {
  const start = formStart(date, last);
  return { kind: 'form', home, date, values: start.values, startedFrom: start.from, ...(message ? { message } : {}) };
};

/**
 * The new cards of an area's day, as the 09:30 prompt and the reminder send them: one small read of every
 * home's last answer, no scan.
 */
export async function newHuddleForms(ctx: AppContext, areaId: string, date: string): Promise<(home: Home, message?: string) => HuddleCardView> {
  const last = await ctx.huddles.lastAnswers(areaId);
  return (home, message) => newForm(home, date, last.get(home.id), message);
}
const basisOfStored = (h: StoredHuddle): AnswerBasis | undefined => (h.etag ? { version: h.version, etag: h.etag } : undefined);

/** The card for a home and date: the summary when answered, else a new form. */
async function viewFor(ctx: AppContext, dir: DirectoryView, home: Home, area: Area, date: string): Promise<HuddleCardView> {
  const stored = await ctx.huddles.get(area.id, date, home.id);
  return stored ? summaryOf(ctx, stored, home, area, dir) : newForm(home, date, await ctx.huddles.lastAnswer(area.id, home.id));
}

/** `huddle` in chat: today's card, or a choice of home for a manager of several. */
export async function huddleForChat(ctx: AppContext, { person, dir }: Asker): Promise<HuddleOutcome> {
  if (!person) return refuse('HUDDLE.NOT_IN_DIRECTORY', notInDirectory(dir, ctx.config.HELP_CONTACT));
  const homes = dir.homesManagedBy(person);
  if (homes.length === 0) return refuse('HUDDLE.NOT_A_MANAGER', "The daily huddle is answered by care home managers, and you don't manage a home in the directory. Type **help** to see what you can do.");
  const area = dir.areas.get(homes[0].area)!;
  const today = localDate(ctx.clock(), area.timezone);
  return done(homes.length > 1 ? { kind: 'pick-home', homes, date: today } : await viewFor(ctx, dir, homes[0], area, today));
}

/** huddle.open: the card for the home and date chosen. */
export async function openHuddle(ctx: AppContext, asker: Asker, data: CardData): Promise<HuddleOutcome> {
  const place = placeFor(ctx, asker, data);
  return place.ok ? done(await viewFor(ctx, asker.dir, place.home, place.area, place.date)) : place.refusal;
}

/** huddle.amend: the form pre-filled with what is stored, carrying the version it amends. */
export async function amendHuddle(ctx: AppContext, asker: Asker, data: CardData): Promise<HuddleOutcome> {
  const place = placeFor(ctx, asker, data);
  if (!place.ok) return place.refusal;
  const { home, area, date } = place;
  const stored = await ctx.huddles.get(area.id, date, home.id);
  if (!stored) return done(newForm(home, date, await ctx.huddles.lastAnswer(area.id, home.id)));
  return done({ kind: 'form', home, date, values: stored.answer as unknown as CardData, message: `Amending the answer ${asker.dir.displayName(stored.answeredBy)} gave at ${whenLabel(stored.answeredAt, area.timezone)}.`, basis: basisOfStored(stored) });
}

/** The daily summary's send intent an answer carries: one when it has concern text (one a day and area: a newer replaces it). */
const summaryIntents = (areaId: string, date: string, concern: string | undefined): AnswerIntent[] =>
  concern?.trim() ? [{ key: `sum_${date}`, intent: { kind: 'daily-summary', areaId, date } }] : [];

/** huddle.submit: checks, stores and escalates an answer. */
export async function submitHuddle(ctx: AppContext, asker: Asker, data: CardData): Promise<HuddleOutcome> {
  const place = placeFor(ctx, asker, data);
  if (!place.ok) return place.refusal;
  const { person, home, area, date, today } = place;
  const basis = parseAnswerBasis(data);
  if (basis === false) {
    ctx.log.info({ home: home.id, date, code: 'HUDDLE.BAD_BASIS' }, 'huddle answer refused');
    return refuse('HUDDLE.BAD_BASIS', 'This card does not say which answer it amends. Type **huddle** for a new card. Nothing was saved.');
  }
  const form = (message: string, errors: Record<string, string> = {}, b = basis): HuddleCardView => ({ kind: 'form', home, date, values: data, errors, message, basis: b });
  const parsed = parseHuddle(data, home);
  if (!parsed.ok) {
    ctx.log.info({ home: home.id, date, code: parsed.code, fields: Object.keys(parsed.fields ?? {}) }, 'huddle answer refused');
    return refuse(parsed.code, parsed.message, form(parsed.message, parsed.fields ?? {}), parsed.fields);
  }
  const { rag, reasons } = assess(parsed.value);
  const answer = { areaId: area.id, homeId: home.id, date, answer: parsed.value, rag, reasons, answeredBy: person.email, answeredAt: ctx.clock().toISOString() };
  let saved: StoredHuddle;
  try {
    // An amend card replaces the version it was opened on, in one transaction; a blank form stores the first answer or amends it.
    // The request's deadline (src/storage/deadline.ts) bounds it: storage that has not answered in time is cut.
    // An answer with a concern after the day's summary was posted brings that message up to date (§3): a send intent in the
    // answer's own transaction, which the delivery worker renders from the stored data (nothing when not posted yet).
    const intents = summaryIntents(area.id, date, parsed.value.concern);
    saved = await (basis ? ctx.huddles.amend(answer, basis, intents, today) : ctx.huddles.save(answer, intents, today));
    if (intents.length) ctx.wakeDelivery?.();
  } catch (e) {
    if (isUnconfirmed(e)) {
      // Sent, not confirmed: it may be stored. Submitting the same card again is safe (no second version).
      ctx.log.warn({ home: home.id, date, code: 'HUDDLE.UNCONFIRMED' }, 'huddle save not confirmed in time');
      const message = 'I could not confirm this was saved: check the card in a minute or submit again (your answers are kept below).';
      return refuse('HUDDLE.UNCONFIRMED', message, form(message));
    }
    if (isConflict(e)) {
      const now = await ctx.huddles.get(area.id, date, home.id).catch(() => undefined);
      if (now && basis) {
        ctx.log.info({ home: home.id, date, code: 'HUDDLE.CHANGED' }, 'huddle amendment refused: changed since opened');
        const message = `Not saved: ${asker.dir.displayName(now.answeredBy)} changed this answer at ${whenLabel(now.answeredAt, area.timezone)}, after you opened it. Your answers are kept below: submit again to replace theirs.`;
        return refuse('HUDDLE.CHANGED', message, form(message, {}, basisOfStored(now)));
      }
      if (now) return refuse('HUDDLE.SAVED_BY_OTHER', `${asker.dir.displayName(now.answeredBy)} saved an answer at the same moment: this is what is stored. Use Amend to change it.`, await summaryOf(ctx, now, home, area, asker.dir));
    }
    ctx.log.warn({ home: home.id, date, err: (e as Error).message }, 'huddle not saved');
    const message = 'Not saved: the answer could not be stored just now. Please try again (your answers are kept below).';
    return refuse('HUDDLE.NOT_SAVED', message, form(message));
  }
  ctx.log.info({ home: home.id, date, rag, version: saved.version }, 'huddle saved');
  let message = saved.version > 1 ? 'Amended. Thank you.' : 'Saved. Thank you.';
  if (rag === 'red') {
    try {
      await raiseFromHuddle(ctx, { areaId: area.id, homeId: home.id, date, reasons, by: person.email });
      await ctx.huddles.escalationDone(area.id, date, home.id);
      message += ' Because it is red, it is being sent to the support team now.';
    } catch (e) {
      // The answer recorded that its escalation is due (same transaction): the sweep opens it shortly.
      ctx.log.error({ home: home.id, date, err: (e as Error).message, code: 'ESCALATION.PENDING' }, 'red huddle not escalated yet; the sweep will');
      message += ' Because it is red, it will be sent to the support team within a few minutes: you do not need to do anything more.';
    }
  }
  await recordNotifiedWithAnswer(ctx, saved).catch((e) => ctx.log.warn({ home: home.id, date, err: (e as Error).message }, 'notification seed not recorded'));
  return done(await summaryOf(ctx, saved, home, area, asker.dir), message);
}

/** notification.record, answered with the summary card. */
export const recordNotification = (ctx: AppContext, asker: Asker, data: CardData): Promise<HuddleOutcome> =>
  recordNotified(ctx, asker, data, (h, home, area, dir) => summaryOf(ctx, h, home, area, dir));
