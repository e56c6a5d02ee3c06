/** `huddle` in 1:1 chat, and the huddle card's verbs: huddle.open, huddle.amend, huddle.submit. */
import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { AppContext } from '../../context';
import { huddleMessageCard, pickHomeCard } from '../../cards/huddle.card';
import { localDate } from '../../domain/calendar';
import { notInDirectory } from '../../domain/help';
import { amendCard, cardFor, placeFor, submitHuddle, type Card } from '../../huddles/answer';
import { conversationKind, whoIs } from '../turn';

const asCard = (card: Card) => card as unknown as AdaptiveCard;

export function huddleRoute(app: Application, ctx: AppContext): void {
  app.message(/^\s*huddle\s*$/i, async (context) => {
    const dir = await ctx.directory.view();
    const person = await whoIs(context, ctx);
    if (!person) return void (await context.sendActivity(notInDirectory(dir, ctx.config.HELP_CONTACT)));
    if (conversationKind(context.activity) !== 'user') return void (await context.sendActivity('The huddle is answered in your 1:1 chat with me: open it and type **huddle**.'));
    const homes = dir.homesManagedBy(person);
    if (homes.length === 0) return void (await context.sendActivity("The daily huddle is answered by care home managers, and you don't manage a home in the directory. Type **help** to see what you can do."));
    const area = dir.areas.get(homes[0].area)!;
    const today = localDate(ctx.clock(), area.timezone);
    const card = homes.length > 1 ? pickHomeCard(homes, today) : await cardFor(ctx, homes[0], area, today);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  });

  const guarded = (verb: string, handler: (context: TurnContext, data: Record<string, unknown>) => Promise<Card>) =>
    app.adaptiveCards.actionExecute(verb, async (context, _state, data: unknown) => {
      try {
        return asCard(await handler(context, data && typeof data === 'object' ? (data as Record<string, unknown>) : {}));
      } catch (e) {
        ctx.log.error({ verb, err: (e as Error).message }, 'huddle verb failed');
        return asCard(huddleMessageCard('Not saved', 'Something went wrong and nothing was saved. Please try again.'));
      }
    });

  const asker = async (context: TurnContext) => ({ person: await whoIs(context, ctx), dir: await ctx.directory.view() });

  guarded('huddle.open', async (context, data) => {
    const place = placeFor(ctx, await asker(context), data);
    return place.ok ? cardFor(ctx, place.home, place.area, place.date) : place.card;
  });

  guarded('huddle.amend', async (context, data) => {
    const place = placeFor(ctx, await asker(context), data);
    return place.ok ? amendCard(ctx, place.home, place.area, place.date) : place.card;
  });

  guarded('huddle.submit', async (context, data) => {
    const who = await asker(context);
    const place = placeFor(ctx, who, data);
    return place.ok ? submitHuddle(ctx, who.person!, place.home, place.area, place.date, data) : place.card;
  });
}
