/** A short message card (cards/message.json): a refusal, a confirmation, or "nothing was changed". */
import { bindCard } from './template';

export type Tone = 'attention' | 'default';

export function messageCard(title: string, text: string, tone: Tone = 'attention'): Record<string, unknown> {
  return bindCard('message', { title, text, color: tone === 'attention' ? 'Attention' : 'Default' });
}

/** The one answer to a card action that failed unexpectedly: the failure is logged, the person told plainly. */
export const nothingChangedCard = () => messageCard('Not saved', 'It could not be stored just now, and nothing was changed. Please try again.');

/** A card action cut by its deadline after a write was sent: it may be stored; submitting again is safe. */
export const unconfirmedCard = () =>
  messageCard('Not confirmed', 'I could not confirm this was saved: check the card in a minute or submit again.');

/** A card action this bot does not have (an old card, an unknown verb). */
export const unknownActionCard = () =>
  messageCard('Not changed', "Sorry, I can't do that from this card. Nothing was changed. Type **help** to see what I can do.", 'default');
