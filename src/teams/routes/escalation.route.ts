/** Escalations: `raise concern` in chat, and the card verbs (escalation.raise, .refresh, and §4's six actions). */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { AppContext } from '../../context';
import { huddleMessageCard } from '../../cards/huddle.card';
import { VERBS } from '../../domain/escalation';
import { notInDirectory } from '../../domain/help';
import { actOnEscalation, viewEscalation } from '../../escalations/act';
import { concernForm, raiseConcern } from '../../escalations/concern';
import { conversationKind, whoIs } from '../turn';

export function escalationRoute(app: Application, ctx: AppContext): void {
  app.message(/^\s*raise\s+(a\s+)?concern\s*$/i, async (context) => {
    const dir = await ctx.directory.view();
    const person = await whoIs(context, ctx);
    if (!person) return void (await context.sendActivity(notInDirectory(dir, ctx.config.HELP_CONTACT)));
    if (conversationKind(context.activity) !== 'user') return void (await context.sendActivity('Raise a concern in your 1:1 chat with me, so that it goes only to the support team.'));
    if (!dir.homesManagedBy(person).length) return void (await context.sendActivity('A concern is raised by the manager of a home. Support team members can open the escalation cards in their channel.'));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(concernForm(dir, person))] });
  });

  const verb = (name: string, handler: (context: TurnContext, data: Record<string, unknown>) => Promise<object>) =>
    app.adaptiveCards.actionExecute(name, async (context, _state, data: unknown) => {
      try {
        return (await handler(context, data && typeof data === 'object' ? (data as Record<string, unknown>) : {})) as unknown as AdaptiveCard;
      } catch (e) {
        ctx.log.error({ verb: name, err: (e as Error).message }, 'escalation verb failed');
        return huddleMessageCard('Not changed', 'Not saved: the escalation could not be stored just now. Please try again.') as unknown as AdaptiveCard;
      }
    });

  verb('escalation.raise', async (context, data) => raiseConcern(ctx, await ctx.directory.view(), await whoIs(context, ctx), data));
  verb('escalation.refresh', async (context, data) => viewEscalation(ctx, await ctx.directory.view(), await whoIs(context, ctx), data));
  for (const v of VERBS) verb(`escalation.${v}`, async (context, data) => actOnEscalation(ctx, await ctx.directory.view(), await whoIs(context, ctx), v, data));
}
