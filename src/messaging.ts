/** What the core needs to reach people in Teams; the teams/ folder implements it. Imports nothing of ours. */

/** A Bot Framework conversation reference as plain data (kept as JSON). */
export interface ConversationRef {
  serviceUrl: string;
  channelId: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  bot: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  activityId?: string;
  locale?: string;
}

export type ConversationKind = 'user' | 'channel' | 'chat';


export interface OutgoingMessage {
  text?: string;
  /** an Adaptive Card (already bound to its data) */
  card?: object;
  /** a short text shown in notifications and chat lists for a card */
  summary?: string;
  /**
   * any other attachment, as Teams takes it: a file consent card ('application/vnd.microsoft.teams.card.file.consent')
   * or the card of a file uploaded to the person's OneDrive ('application/vnd.microsoft.teams.card.file.info')
   */
  attachment?: { contentType: string; content?: object; contentUrl?: string; name?: string };
}

/** A send that Teams refused; `status` is the HTTP status the connector answered. */
export class SendError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export interface Messenger {
  /** Posts a new message into a conversation; answers the new activity's id. */
  send(ref: ConversationRef, message: OutgoingMessage): Promise<{ activityId: string }>;
  /** Replaces an earlier message in place (e.g. an escalation card in the channel). */
  update(ref: ConversationRef, activityId: string, message: OutgoingMessage): Promise<void>;
}
