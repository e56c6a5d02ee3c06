/** Proactive messages through the Bot Framework connector: the Teams side of the core's Messenger. */
import { CardFactory, MessageFactory, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { SendError, type ConversationRef, type Messenger, type OutgoingMessage } from '../messaging';

export function toActivity(message: OutgoingMessage): Partial<Activity> {
  if (message.attachment) {
    const activity = MessageFactory.attachment({ ...message.attachment });
    if (message.text) activity.text = message.text;
    if (message.summary) activity.summary = message.summary;
    return activity;
  }
  if (message.card) {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
    if (message.text) activity.text = message.text;
    if (message.summary) activity.summary = message.summary;
    return activity;
  }
  return MessageFactory.text(message.text ?? '');
}

const statusOf = (e: unknown): number => (e as { statusCode?: number }).statusCode ?? 0;
const retryAfterOf = (e: unknown): number | undefined => {
  const header = (e as { response?: { headers?: { get?(n: string): string | undefined } } }).response?.headers?.get?.('retry-after');
  const seconds = header ? Number(header) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
};

const RETRY_POLICIES = ['defaultRetryPolicy', 'exponentialRetryPolicy', 'throttlingRetryPolicy', 'systemErrorRetryPolicy'];

/**
 * The connector's HTTP pipeline retries 429/5xx by itself (and ignores noRetryPolicy): that hides
 * Retry-After from the shared throttle and can post a message twice. The delivery sender owns retries.
 */
function withoutSdkRetries(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } } | undefined;
  for (const name of RETRY_POLICIES) connector?.client?.pipeline?.removePolicy({ name });
}

export class TeamsMessenger implements Messenger {
  constructor(private readonly adapter: TeamsAdapter, private readonly botAppId: string) {}

  private async inConversation<T>(ref: ConversationRef, logic: (send: (a: Partial<Activity>) => Promise<T>, update: (a: Partial<Activity>) => Promise<void>) => Promise<T>): Promise<T> {
    let result: T | undefined;
    // app.error() sets the adapter's onTurnError, which would swallow a failed send inside the turn:
    // keep the error and throw it after the turn so the caller sees the connector's status.
    let failed: { error: unknown } | undefined;
    try {
      // Without the activity id the message is a new post, not a reply in the thread the reference came from.
      const { activityId: _thread, ...fresh } = ref;
      await this.adapter.continueConversationAsync(this.botAppId, fresh as ConversationReference, async (context) => {
        try {
          withoutSdkRetries(context);
          result = await logic(
            async (a) => (await context.sendActivity(a)) as T,
            async (a) => void (await context.updateActivity(a)),
          );
        } catch (e) {
          failed = { error: e };
        }
      });
      if (failed) throw failed.error;
    } catch (e) {
      const status = statusOf(e);
      if (status) throw new SendError(status, `connector answered ${status}`, retryAfterOf(e));
      throw e;
    }
    return result as T;
  }

  async send(ref: ConversationRef, message: OutgoingMessage): Promise<{ activityId: string }> {
    const response = await this.inConversation<{ id?: string } | undefined>(ref, (send) => send(toActivity(message)));
    return { activityId: response?.id ?? '' };
  }

  async update(ref: ConversationRef, activityId: string, message: OutgoingMessage): Promise<void> {
    await this.inConversation<void>(ref, async (_send, update) => update({ ...toActivity(message), id: activityId }));
  }
}
