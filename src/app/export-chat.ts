/**
 * The export in 1:1 chat (§6a, issue 24's CSV through Teams' file consent flow): `export [huddles|escalations|actions]
 * [for AREA]` offers last Monday-to-Sunday week's CSV (the area's time zone) on a file consent card; an accept records a
 * delivery intent holding the export's parameters (never the file), which the delivery worker builds, uploads to the URL
 * Teams gives and announces with a file card; a decline records a short note.
 *
 * Who may export what is checked here every time, from the directory: when offering, again when the consent comes back
 * (its context is what the card carried, so it is read as untrusted input) and once more when the file is built. Free
 * text only for the area's support team and approvers; chief officers get the figures.
 */
import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { addDays, isIsoDate, localDate } from '../domain/calendar';
import { digestWeekFor } from '../domain/digest/week';
import type { Area, DirectoryView, Person } from '../domain/directory';
import { isExportKind, mayExport, mayIncludeFreeText, type ExportKind } from '../domain/export';
import type { UploadTarget } from '../storage/outbox';
import { exportCsv, type CsvExport } from './export';
import { done, refuse, type Asker, type Outcome } from './outcome';

/** What the consent card carries back (accept and decline alike): the parameters only, checked again on return. */
export interface ExportConsentContext {
  what: ExportKind;
  area: string;
  from: string;
  to: string;
}

export interface ExportOffer {
  context: ExportConsentContext;
  /** e.g. huddles_pkc_2026-11-16_2026-11-22.csv */
  filename: string;
  /** the card's description: what the file holds */
  description: string;
}

export const EXPORT_COMMAND = /^\s*export\b/i;

const LABEL: Record<ExportKind, string> = { huddles: 'huddle answers', escalations: 'escalations', actions: 'plan actions' };
const USAGE = 'Type **export** (the huddle answers), **export escalations** or **export actions**, followed by **for** and an area id when you work in several areas.';
const EXPORTER_ROLES = ['support', 'approver', 'chief'] as const;

/** The areas a person may export (support, approver or chief officer there), in the directory's order. */
const exportableAreas = (person: Person, dir: DirectoryView): Area[] => [...dir.areas.values()].filter((a) => mayExport({ person }, a.id));

/** "export escalations for pkc" → { what: 'escalations', area: 'pkc' }; a word it does not know → undefined. */
export function parseExportCommand(text: string): { what: ExportKind; area?: string } | undefined {
  const words = text.trim().replace(EXPORT_COMMAND, '').trim().split(/\s+/).filter(Boolean);
  let what: ExportKind = 'huddles';
  if (words[0] && isExportKind(words[0].toLowerCase())) what = words.shift()!.toLowerCase() as ExportKind;
  if (!words.length) return { what };
  if (words[0].toLowerCase() !== 'for' || words.length < 2) return undefined;
  return { what, area: words.slice(1).join(' ') };
}

/** Last Monday-to-Sunday week in the area's time zone (the week the weekly digest covers). */
export function lastWeek(now: Date, timezone: string): { from: string; to: string } {
  const { week } = digestWeekFor(localDate(now, timezone), timezone);
  return { from: week.start, to: week.end };
}

const filenameOf = (c: ExportConsentContext) => `${c.what}_${c.area}_${c.from}_${c.to}.csv`;

/** Who to ask, for someone who may not export: the support team and approvers of their areas (or the administrators). */
function whoCanExport(person: Person, dir: DirectoryView, helpContact: string): string {
  const areas = dir.areasOf(person);
  const names = [...new Set(areas.flatMap((a) => EXPORTER_ROLES.slice(0, 2).flatMap((r) => dir.peopleWithRole(r, a)).map((p) => p.name)))];
  const where = areas.map((a) => dir.areas.get(a)?.name ?? a).join(', ');
  if (names.length) return `For ${where}, please ask ${names.join(', ')}.`;
  const admins = dir.admins().map((p) => p.name);
  return `Please ask ${admins.length ? admins.join(' or ') : helpContact}.`;
}

/** The `export` command: a file to offer, or a refusal saying why (and, to someone who may not, who can). */
export function offerExport(ctx: AppContext, { person, dir }: Asker, text: string): Outcome<ExportOffer> {
  if (!person) return refuse('EXPORT.NOT_ALLOWED', `Exports are for the support team, approvers and chief officers in the Care Home Huddle directory. Please ask ${ctx.config.HELP_CONTACT}.`);
  const areas = exportableAreas(person, dir);
  if (!areas.length) {
    return refuse('EXPORT.NOT_ALLOWED', `Only an area's support team, approvers and chief officers can export its records. ${whoCanExport(person, dir, ctx.config.HELP_CONTACT)}`);
  }
  const parsed = parseExportCommand(text);
  if (!parsed) return refuse('EXPORT.BAD_INPUT', USAGE);
  let area: Area | undefined;
  if (parsed.area) {
    const wanted = parsed.area.toLowerCase();
    area = areas.find((a) => a.id.toLowerCase() === wanted || a.name.toLowerCase() === wanted);
    if (!area) return refuse('EXPORT.NOT_ALLOWED', `You can export ${areas.map((a) => `${a.name} (**${a.id}**)`).join(', ')}; "${parsed.area.slice(0, 40)}" is not one of them.`);
  } else if (areas.length > 1) {
    return refuse('EXPORT.BAD_INPUT', `You work in ${areas.map((a) => `${a.name} (**${a.id}**)`).join(' and ')}: say which, for example **export ${parsed.what === 'huddles' ? '' : `${parsed.what} `}for ${areas[0].id}**.`);
  } else {
    area = areas[0];
  }
  const context: ExportConsentContext = { what: parsed.what, area: area.id, ...lastWeek(ctx.clock(), area.timezone) };
  const freeText = mayIncludeFreeText({ person }, area.id);
  const description =
    `${area.name}: the ${LABEL[parsed.what]} of ${context.from} to ${context.to} (Monday to Sunday), as CSV, ` +
    (freeText ? 'with the free text (concerns, notes, comments). Keep it where only the team can see it.' : 'without free text.');
  return done({ context, filename: filenameOf(context), description });
}

/** The consent's context as it came back: the shape of what offerExport put there, and last week's dates only. */
export function readConsentContext(raw: unknown, today: string): ExportConsentContext | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const { what, area, from, to } = raw as Record<string, unknown>;
  if (!isExportKind(what) || typeof area !== 'string' || area.length > 100 || typeof from !== 'string' || typeof to !== 'string') return undefined;
  if (!isIsoDate(from) || !isIsoDate(to) || DateTime.fromISO(from).weekday !== 1 || addDays(from, 6) !== to || to >= today) return undefined;
  return { what, area, from, to };
}

/** Teams' uploadInfo, checked for shape; the upload URL must be https (http only with authentication off, local use). */
export function readUploadInfo(raw: unknown, allowHttp: boolean): UploadTarget | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const u = raw as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
  const uploadUrl = str(u.uploadUrl, 4000);
  const contentUrl = str(u.contentUrl, 4000);
  const name = str(u.name, 255);
  const uniqueId = str(u.uniqueId, 200);
  const fileType = str(u.fileType, 20) ?? 'csv';
  if (!uploadUrl || !contentUrl || !name || !uniqueId) return undefined;
  let url: URL;
  try {
    url = new URL(uploadUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) return undefined;
  return { uploadUrl, contentUrl, name, uniqueId, fileType };
}

/** The checks of the consent coming back: the person, the context and the role, as the directory says now. */
function checkConsent(ctx: AppContext, { person, dir }: Asker, raw: unknown): Outcome<{ person: Person; context: ExportConsentContext; area: Area }> {
  if (!person) return refuse('EXPORT.NOT_ALLOWED', 'Nothing was exported: you are not in the Care Home Huddle directory.');
  const areaId = (raw as { area?: unknown } | undefined)?.area;
  const area = typeof areaId === 'string' ? dir.areas.get(areaId) : undefined;
  const context = area ? readConsentContext(raw, localDate(ctx.clock(), area.timezone)) : undefined;
  if (!area || !context) return refuse('EXPORT.BAD_INPUT', `That file can no longer be sent. ${USAGE}`);
  if (!mayExport({ person }, area.id)) return refuse('EXPORT.NOT_ALLOWED', `Nothing was exported: only the support team, approvers and chief officers of ${area.name} can export its records.`);
  return done({ person, context, area });
}

/**
 * The file consent card accepted: checked again, then one intent is recorded (keyed by Teams' unique id for the
 * file, so a repeated invoke is one upload) and the worker woken. Answers at once; the file follows.
 */
export async function acceptExport(ctx: AppContext, asker: Asker, consent: { context: unknown; uploadInfo: unknown }): Promise<Outcome<void>> {
  const checked = checkConsent(ctx, asker, consent.context);
  if (!checked.ok) return toldRefusal(ctx, asker, checked.code, checked.message);
  const { person, context } = checked.value;
  const upload = readUploadInfo(consent.uploadInfo, !ctx.config.authEnabled);
  if (!upload) return toldRefusal(ctx, asker, 'EXPORT.BAD_INPUT', 'Teams did not say where to put the file, so nothing was sent. Type **export** to try again.');
  await ctx.exports.record({ kind: 'export-file', email: person.email, what: context.what, areaId: context.area, from: context.from, to: context.to, upload }, ctx.clock(), `file_${upload.uniqueId}`);
  ctx.log.info({ export: context.what, area: context.area, from: context.from, to: context.to, code: 'EXPORT.ACCEPTED' }, 'chat export accepted');
  ctx.wakeDelivery?.();
  return done(undefined);
}

/** A consent refused on its return: the invoke is answered all the same, and the person told why, through the outbox. */
async function toldRefusal(ctx: AppContext, { person }: Asker, code: string, message: string): Promise<Outcome<void>> {
  ctx.log.info({ code }, 'chat export consent refused');
  if (person) await ctx.exports.record({ kind: 'notice', email: person.email, text: message, about: 'export-refused' }, ctx.clock());
  ctx.wakeDelivery?.();
  return refuse(code, message);
}

/** The file consent card declined: a short note, through the outbox like every other message. */
export async function declineExport(ctx: AppContext, asker: Asker, raw: unknown): Promise<Outcome<void>> {
  if (!asker.person) return done(undefined);
  const context = readConsentContext(raw, '9999-12-31');
  const what = context ? `the ${LABEL[context.what]} of ${context.from} to ${context.to}` : 'the file';
  await ctx.exports.record({ kind: 'notice', email: asker.person.email, text: `No file was sent: you declined ${what}. Type **export** whenever you want it.`, about: 'export-declined' }, ctx.clock());
  ctx.wakeDelivery?.();
  return done(undefined);
}

/**
 * What the delivery worker calls to build an accepted export's CSV (given to it by the host, since delivery never
 * calls a use case itself): the role checked once more, free text by the role the person holds now.
 */
export async function buildChatExport(ctx: AppContext, person: Person, q: { what: ExportKind; areaId: string; from: string; to: string }): Promise<Outcome<CsvExport>> {
  const asker = { person };
  return exportCsv(ctx, asker, { what: q.what, area: q.areaId, from: q.from, to: q.to, includeFreeText: mayIncludeFreeText(asker, q.areaId) });
}
