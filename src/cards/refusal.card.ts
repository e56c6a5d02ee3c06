/** A refusal with nothing else to show: its title says what did not happen (saved, sent, changed), by the code's feature. */
import { messageCard } from './message.card';
import { planErrorCard } from './plan-error.card';

const TITLES: Record<string, string> = {
  'HUDDLE.NOT_IN_DIRECTORY': 'Not in the directory',
  HUDDLE: 'Not saved',
  CONCERN: 'Not sent',
  NOTIFICATION: 'Not saved',
  ESCALATION: 'Not changed',
};

export function refusalCard(code: string, message: string): Record<string, unknown> {
  const feature = code.split('.')[0];
  if (feature === 'PLAN') return planErrorCard(code, message);
  // Someone outside the support team opening an escalation: an explanation, not an error.
  if (code === 'ESCALATION.NOT_VISIBLE') return messageCard('Escalation', message, 'default');
  return messageCard(TITLES[code] ?? TITLES[feature] ?? 'Not changed', message);
}
