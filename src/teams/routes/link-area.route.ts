/** `link area ID` in a team channel binds it to an area (support, approver or admin of that area only). */
import type { Application } from '@microsoft/teams-ai';
import type { AppContext } from '../../context';
import { mayLinkArea } from '../../domain/directory';
import { notInDirectory } from '../../domain/help';
import { conversationKind, referenceOf, whoIs } from '../turn';

export function linkAreaRoute(app: Application, ctx: AppContext): void {
  app.message(/^\s*link\s+area\b/i, async (context) => {
    const areaId = (context.activity.text ?? '').trim().split(/\s+/)[2]?.toLowerCase() ?? '';
    const dir = await ctx.directory.view();
    const person = await whoIs(context, ctx);
    if (!person) return void (await context.sendActivity(notInDirectory(dir, ctx.config.HELP_CONTACT)));
    if (conversationKind(context.activity) !== 'channel') {
      return void (await context.sendActivity("**link area** works in a team channel: post it in your support team's channel."));
    }
    const area = dir.areas.get(areaId);
    if (!area) {
      const known = [...dir.areas.keys()].join(', ');
      return void (await context.sendActivity(`There is no area "${areaId.slice(0, 40)}". Known areas: ${known || 'none yet'}.`));
    }
    if (!mayLinkArea(person, area.id)) {
      ctx.log.info({ area: area.id, code: 'LINK.NOT_ALLOWED' }, 'link area refused');
      return void (await context.sendActivity(`Only the support team, approvers or administrators of ${area.name} can link a channel to it. Nothing was changed.`));
    }
    // A channel message's conversation id names its thread (";messageid=…"): bind the channel itself,
    // so that summaries and escalations arrive as new posts rather than replies in this thread.
    const channelId = (context.activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? context.activity.conversation.id.split(';')[0];
    const reference = referenceOf(context.activity);
    reference.conversation = { ...reference.conversation, id: channelId };
    delete reference.activityId;
    const before = await ctx.areaLinks.get(area.id);
    const at = ctx.clock();
    await ctx.areaLinks.link({
      areaId: area.id,
      conversationId: channelId,
      reference,
      linkedBy: person.email,
      linkedAt: at.toISOString(),
    });
    await ctx.audit.append({ entity: 'arealink', entityId: area.id, action: 'link', by: person.email, at, from: before?.conversationId, to: channelId });
    await context.sendActivity(`This channel is now the support channel for **${area.name}**: the daily huddle summary and escalations will be posted here.`);
  });
}
