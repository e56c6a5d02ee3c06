/** `link area ID` in a team channel binds it to an area (support, approver or admin of that area only). */
import type { AppContext } from '../context';
import { mayLinkArea } from '../domain/directory';
import { notInDirectory } from '../domain/help';
import type { ConversationRef } from '../messaging';
import { done, refuse, type Asker, type Outcome } from './outcome';

export interface LinkRequest {
  areaId: string;
  /** the kind of conversation the command came from */
  kind: 'user' | 'channel' | 'chat';
  /** the channel itself (not the thread the command was posted in) */
  channelId: string;
  /** a reference to the channel, for new posts */
  reference: ConversationRef;
}

export async function linkArea(ctx: AppContext, { person, dir }: Asker, req: LinkRequest): Promise<Outcome<{ areaName: string }>> {
  if (!person) return refuse('LINK.NOT_IN_DIRECTORY', notInDirectory(dir, ctx.config.HELP_CONTACT));
  if (req.kind !== 'channel') return refuse('LINK.NOT_A_CHANNEL', "**link area** works in a team channel: post it in your support team's channel.");
  const area = dir.areas.get(req.areaId);
  if (!area) {
    const known = [...dir.areas.keys()].join(', ');
    return refuse('LINK.NO_SUCH_AREA', `There is no area "${req.areaId.slice(0, 40)}". Known areas: ${known || 'none yet'}.`);
  }
  if (!mayLinkArea(person, area.id)) {
    ctx.log.info({ area: area.id, code: 'LINK.NOT_ALLOWED' }, 'link area refused');
    return refuse('LINK.NOT_ALLOWED', `Only the support team, approvers or administrators of ${area.name} can link a channel to it. Nothing was changed.`);
  }
  const before = await ctx.areaLinks.get(area.id);
  const at = ctx.clock();
  await ctx.areaLinks.link({ areaId: area.id, conversationId: req.channelId, reference: req.reference, linkedBy: person.email, linkedAt: at.toISOString() });
  await ctx.audit.append({ entity: 'arealink', entityId: area.id, action: 'link', by: person.email, at, from: before?.conversationId, to: req.channelId });
  // Every open escalation of the area is posted in the channel now linked (a new post after a re-link).
  await ctx.escalations.requestCards(area.id, at);
  ctx.wakeDelivery?.();
  return done({ areaName: area.name }, `This channel is now the support channel for **${area.name}**: the daily huddle summary and escalations will be posted here.`);
}
