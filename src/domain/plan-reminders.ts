/** What the responsible person is told, for each reminder. */
import { actionNo, type Action, type ReminderKind } from './plan';

export function actionReminderText(kind: ReminderKind, a: Action, homeName: string): string {
  const what = `action **${actionNo(a)}** of the improvement plan for **${homeName}** ("${a.description.slice(0, 200)}")`;
  if (kind === 'assigned') return `You are now responsible for ${what}. It is due on ${a.due}. Type **plan ${homeName}** in your support channel or meeting chat to see the plan.`;
  if (kind === 'before') return `Reminder: ${what} is due in three days, on ${a.due}. Please record its progress on the plan card.`;
  return `${what} passed its due date (${a.due}) and is not completed, so it now shows as Red. Please update it on the plan card: record progress, or move the due date with a reason.`;
}
