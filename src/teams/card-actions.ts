/**
 * Registers every verb of verbs.ts with one wrapper: who is asking, the use case, its card; an unexpected error
 * is logged once and answered plainly. Every card action is answered by ANSWER_BY_MS from the request's arrival
 * (Teams gives up at about 5 s), whatever the use case is still doing, and truthfully: "could not confirm" when
 * a write of this request was sent, "not saved" only when nothing was written.
 */
import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { Asker, CardData } from '../app/outcome';
import { nothingChangedCard, unconfirmedCard } from '../cards/message.card';
import type { AppContext } from '../context';
import { currentDeadline, isDeadline, type Deadline } from '../storage/deadline';
import { whoIs } from './turn';
import { VERBS } from './verbs';

/** The request's deadline (src/teams/index.ts opens it on arrival): storage and the roster look-up stop here. */
export const REQUEST_DEADLINE_MS = 4000;
/** The card action is answered by now, from arrival, whatever is still running. */
export const ANSWER_BY_MS = 4500;

/** The directory person behind a turn, and the directory read once for it. */
export async function askerOf(context: TurnContext, ctx: AppContext): Promise<Asker> {
  const dir = await ctx.directory.view();
  return { person: await whoIs(context, ctx), dir };
}

const asData = (data: unknown): CardData => (data && typeof data === 'object' && !Array.isArray(data) ? (data as CardData) : {});

const LATE = Symbol('late');

/**
 * The card for a request cut short: "could not confirm" when the use case wrote, or sent a write not answered
 * (it may be stored); "not saved" when nothing of it was written (refused writes, a 404 or a 409, are not). Writes before the use case (a first contact's object id) are not its answer's.
 */
const cutCard = (d: Deadline | undefined, before: number | undefined) =>
  d && before !== undefined && uncertain(d) > before ? unconfirmedCard() : nothingChangedCard();
/** writes that are stored or may be: confirmed, or sent and not answered */
const uncertain = (d: Deadline) => d.written + d.unconfirmed;

export function registerCardActions(app: Application, ctx: AppContext): void {
  for (const [name, verb] of Object.entries(VERBS)) {
    app.adaptiveCards.actionExecute(name, async (context, _state, data: unknown) => {
      const deadline = currentDeadline();
      let writesBefore: number | undefined;
      const work = (async () => {
        const asker = await askerOf(context, ctx);
        writesBefore = deadline ? uncertain(deadline) : 0;
        return verb.card(await verb.run(ctx, asker, asData(data)));
      })();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<typeof LATE>((resolve) => {
        const at = deadline ? deadline.at - REQUEST_DEADLINE_MS + ANSWER_BY_MS : Date.now() + ANSWER_BY_MS;
        timer = setTimeout(() => resolve(LATE), Math.max(0, at - Date.now()));
      });
      try {
        const card = await Promise.race([work, late]);
        if (card === LATE) {
          work.catch(() => undefined); // it ends on its own; its outcome is no longer anyone's answer
          ctx.log.warn({ verb: name, writes: deadline?.writes ?? 0, code: 'CARD.LATE' }, 'card action answered at its deadline');
          return cutCard(deadline, writesBefore) as unknown as AdaptiveCard;
        }
        // The bound templates are AdaptiveCard JSON (type "AdaptiveCard"); teams-ai's type asks for the literal.
        return card as unknown as AdaptiveCard;
      } catch (e) {
        if (isDeadline(e)) {
          ctx.log.warn({ verb: name, writes: deadline?.writes ?? 0, code: 'CARD.DEADLINE' }, 'card action cut at its deadline');
          return cutCard(deadline, writesBefore) as unknown as AdaptiveCard;
        }
        ctx.log.error({ verb: name, err: (e as Error).message, code: 'CARD.FAILED' }, 'card action failed');
        // storage refused it (an answer came): the use case's own failure, answered as before — unless a write is still unanswered
        return ((deadline?.unconfirmed ?? 0) > 0 ? unconfirmedCard() : nothingChangedCard()) as unknown as AdaptiveCard;
      } finally {
        clearTimeout(timer);
      }
    });
  }
}
