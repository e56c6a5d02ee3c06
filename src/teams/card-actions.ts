/** Registers every verb of verbs.ts with one wrapper: who is asking, the use case, its card; an unexpected error is logged once and answered plainly. */
import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { Asker, CardData } from '../app/outcome';
import { nothingChangedCard } from '../cards/message.card';
import type { AppContext } from '../context';
import { whoIs } from './turn';
import { VERBS } from './verbs';

/** The directory person behind a turn, and the directory read once for it. */
export async function askerOf(context: TurnContext, ctx: AppContext): Promise<Asker> {
  const dir = await ctx.directory.view();
  return { person: await whoIs(context, ctx), dir };
}

const asData = (data: unknown): CardData => (data && typeof data === 'object' && !Array.isArray(data) ? (data as CardData) : {});

export function registerCardActions(app: Application, ctx: AppContext): void {
  for (const [name, verb] of Object.entries(VERBS)) {
    app.adaptiveCards.actionExecute(name, async (context, _state, data: unknown) => {
      try {
        const outcome = await verb.run(ctx, await askerOf(context, ctx), asData(data));
        // The bound templates are AdaptiveCard JSON (type "AdaptiveCard"); teams-ai's type asks for the literal.
        return verb.card(outcome) as unknown as AdaptiveCard;
      } catch (e) {
        ctx.log.error({ verb: name, err: (e as Error).message, code: 'CARD.FAILED' }, 'card action failed');
        return nothingChangedCard() as unknown as AdaptiveCard;
      }
    });
  }
}
