/** Taking an escalation action from its card: role and version checked on the server, ETag-guarded write. */
import type { AppContext } from '../context';
import { huddleMessageCard } from '../cards/huddle.card';
import type { DirectoryView, Person } from '../domain/directory';
import { apply, parseAction, PATHWAY_NAMES, STATE_NAMES, type EscalationVerb } from '../domain/escalation';
import type { EscalationEntity } from '../storage/escalations.table';
import { isConflict } from '../storage/client';
import { escalationCard } from './card';
import { showInChannel, tellManagers } from './channel';
import { actorIn, toEntity, toEscalation } from './model';
import { escalationsOf } from './raise';

async function find(ctx: AppContext, dir: DirectoryView, person: Person, id: unknown): Promise<EscalationEntity | undefined> {
  if (typeof id !== 'string' || !/^esc-[0-9a-f-]{36}$/.test(id)) return undefined;
  for (const areaId of dir.areasOf(person)) {
    const row = await escalationsOf(ctx).get(areaId, id);
    if (row) return row;
  }
  return undefined;
}

/**
 * The card for the person who acted, without `refresh`: teams-ai would otherwise replace the channel
 * message with this person's view for everyone. The channel message is updated by showInChannel instead.
 */
const card = async (_ctx: AppContext, dir: DirectoryView, person: Person, row: EscalationEntity, message?: string, tone?: 'good' | 'attention') => {
  const area = dir.areas.get(row.partitionKey)!;
  const { refresh: _refresh, ...forViewer } = escalationCard(row, toEscalation(row), dir, area, { viewer: actorIn(person, area.id), message, tone, refreshUserIds: [] }) as Record<string, unknown>;
  return forViewer;
};

/** The card a person sees: buttons for their role, read-only otherwise. */
export async function viewEscalation(ctx: AppContext, dir: DirectoryView, person: Person | undefined, data: Record<string, unknown>): Promise<object> {
  const row = person ? await find(ctx, dir, person, data.escalationId) : undefined;
  if (!person || !row) return huddleMessageCard('Escalation', 'This escalation is for the support team of its area: you cannot see it here.', 'default');
  return card(ctx, dir, person, row);
}

export async function actOnEscalation(ctx: AppContext, dir: DirectoryView, person: Person | undefined, verb: EscalationVerb, data: Record<string, unknown>): Promise<object> {
  if (!person) return huddleMessageCard('Not changed', "I can't find you in the directory, so I can't change this escalation. Nothing was changed.");
  const input = parseAction(verb, data);
  const row = await find(ctx, dir, person, data.escalationId);
  if (!row) return huddleMessageCard('Not changed', input.ok ? 'There is no such escalation in your areas. Nothing was changed.' : input.message);
  if (!input.ok) return card(ctx, dir, person, row, input.message);
  const actor = actorIn(person, row.partitionKey);
  const at = ctx.clock();
  const next = apply(toEscalation(row), input.value, actor, at);
  if (!next.ok) {
    ctx.log.info({ escalation: row.rowKey, verb, code: next.code }, 'escalation action refused');
    return card(ctx, dir, person, row, next.message);
  }
  const entity = toEntity(row, next.value, at);
  try {
    await escalationsOf(ctx).replace(entity, row.etag!);
  } catch (e) {
    if (!isConflict(e)) throw e;
    // Lost a race: someone else's decision is stored. Show it; change nothing.
    const now = (await escalationsOf(ctx).get(row.partitionKey, row.rowKey))!;
    const last = toEscalation(now).history.at(-1);
    const who = last ? `${dir.personByEmail(last.by)?.name ?? last.by} chose "${last.action}" at ${last.at}` : 'someone else changed it';
    ctx.log.info({ escalation: row.rowKey, verb, code: 'ESCALATION.STALE' }, 'escalation race lost');
    return card(ctx, dir, person, now, `Not changed: ${who}.`);
  }
  const last = next.value.history.at(-1)!;
  await ctx.audit.append({ entity: 'escalation', entityId: row.rowKey, action: last.action, by: person.email, at, from: last.from, to: last.to, note: last.note });
  if (next.value.state === 'closed') await escalationsOf(ctx).clearOpenMarker(row.partitionKey, row.homeId);
  ctx.log.info({ escalation: row.rowKey, verb, from: last.from, to: last.to, version: next.value.version }, 'escalation changed');
  const stored = (await escalationsOf(ctx).get(row.partitionKey, row.rowKey)) ?? entity;
  await showInChannel(ctx, dir, stored);
  const home = dir.homes.get(row.homeId)?.name ?? row.homeId;
  if (last.to === 'escalated') await tellManagers(ctx, dir, stored, `The support team has escalated the concern about ${home} to ${PATHWAY_NAMES[next.value.pathway!]}. ${nameOrEmail(dir, person)} will keep you informed.`);
  if (verb === 'reject') await tellManagers(ctx, dir, stored, `The request to escalate the concern about ${home} outside the partnership was not approved; the support team continues to support you locally.`);
  if (verb === 'close') await tellManagers(ctx, dir, stored, `The escalation about ${home} is closed. Outcome: ${next.value.outcome}`);
  return card(ctx, dir, person, stored, `Done: ${STATE_NAMES[last.to]}.`, 'good');
}

const nameOrEmail = (dir: DirectoryView, p: Person) => dir.personByEmail(p.email)?.name ?? p.email;
