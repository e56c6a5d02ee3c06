/** What a body must be before the bot reads it as a Bot Framework activity; anything else gets 400 with a fixed body. */

/** The fixed answer to a body that is not a Bot Framework activity. */
export const NOT_AN_ACTIVITY = { error: 'Not a Bot Framework activity.' } as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalRecord = (v: unknown) => v === undefined || isRecord(v);

/**
 * The least an activity must be before the bot sees it: an object with a string `type`, and `from`, `recipient`
 * and `channelData` objects when present, and a `conversation` with a string id when present.
 */
export function isActivityShaped(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if (typeof body.type !== 'string' || body.type.length === 0 || body.type.length > 64) return false;
  if (!optionalRecord(body.from) || !optionalRecord(body.recipient) || !optionalRecord(body.channelData)) return false;
  if (body.conversation !== undefined && !(isRecord(body.conversation) && typeof body.conversation.id === 'string')) return false;
  return true;
}
