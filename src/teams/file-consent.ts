/**
 * The export in 1:1 chat through Teams' file consent flow (§6a): the `export` command's file consent card, and the
 * `fileConsent/invoke` that comes back when the person accepts or declines it. The invoke is answered at once (teams-ai
 * answers 200 after the handler, which only records an intent); the upload and the file card are the delivery worker's.
 */
import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { acceptExport, declineExport, offerExport } from '../app/export-chat';
import type { AppContext } from '../context';
import { askerOf } from './card-actions';
import { conversationKind } from './turn';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';

/** `export …`: the consent card (answers nothing more), or the sentence saying why not. */
export async function exportCommand(context: TurnContext, ctx: AppContext): Promise<string | undefined> {
  const asker = await askerOf(context, ctx);
  if (asker.person && conversationKind(context.activity) !== 'user') return 'Type **export** in your 1:1 chat with me: the file is offered there, to you alone.';
  const offer = offerExport(ctx, asker, context.activity.text ?? '');
  if (!offer.ok) return offer.message;
  const { filename, description, context: carried } = offer.value;
  await context.sendActivity({
    summary: `Export: ${filename}`,
    attachments: [{ contentType: FILE_CONSENT_CARD, name: filename, content: { description, acceptContext: carried, declineContext: carried } }],
  });
  return undefined;
}

type ConsentValue = { context?: unknown; uploadInfo?: unknown };

export function registerFileConsent(app: Application, ctx: AppContext): void {
  const handle = (run: (context: TurnContext, value: ConsentValue) => Promise<unknown>) => async (context: TurnContext, _state: unknown, value: unknown) => {
    try {
      await run(context, (value ?? {}) as ConsentValue);
    } catch (e) {
      // storage did not take the intent: nothing will follow, so the person is told here and now
      ctx.log.error({ err: (e as Error).message, code: 'EXPORT.FAILED' }, 'file consent not recorded');
      await context.sendActivity('It could not be stored just now, so no file will come. Type **export** to try again.').catch(() => undefined);
    }
  };
  app.fileConsentAccept(handle(async (context, value) => acceptExport(ctx, await askerOf(context, ctx), { context: value.context, uploadInfo: value.uploadInfo })));
  app.fileConsentDecline(handle(async (context, value) => declineExport(ctx, await askerOf(context, ctx), value.context)));
}
