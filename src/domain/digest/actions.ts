/** Digest section: plan actions by RAG and theme as at the end of the week, those overdue, and those completed in it. */
import { actionRag, type Rag } from '../rag';
import type { ActionRow } from './rows';
import type { DigestScope } from './scope';
import type { Digest, HomeDigest } from './types';
import { inWeek, type DigestWeek } from './week';

export type ActionView = { row: ActionRow; rag: Rag; overdue: boolean; completedThisWeek: boolean };

const THEMES = [1, 2, 3, 4, 5, 6];

/** §5 RAG as at the end of the week: completed before it ends; overdue when due on or before its last day. */
function viewAction(a: ActionRow, week: DigestWeek): ActionView {
  const completed = a.status === 'completed' && (!a.completedAt || Date.parse(a.completedAt) < Date.parse(week.until));
  const overdue = !completed && a.dueDate <= week.end;
  return { row: a, rag: actionRag({ completed, overdue, onTarget: a.onTarget }), overdue, completedThisWeek: completed && inWeek(a.completedAt, week) };
}

export const actionViews = (s: DigestScope, actions: ActionRow[]): ActionView[] => actions.filter((a) => s.isKnown(a.homeId)).map((a) => viewAction(a, s.week));

const ragCounts = (views: ActionView[]) => ({
  green: views.filter((a) => a.rag === 'green').length,
  amber: views.filter((a) => a.rag === 'amber').length,
  red: views.filter((a) => a.rag === 'red').length,
});

export const homeActions = (views: ActionView[]): HomeDigest['actions'] => ({ ...ragCounts(views), overdue: views.filter((a) => a.overdue).length });

export function actionsSection(s: DigestScope, views: ActionView[]): Digest['actions'] {
  return {
    total: views.length,
    byRag: ragCounts(views),
    byTheme: THEMES.map((theme) => ({ theme, ...ragCounts(views.filter((a) => a.row.theme === theme)) })),
    overdue: views
      .filter((a) => a.overdue)
      .sort((a, b) => a.row.dueDate.localeCompare(b.row.dueDate))
      .map((a) => ({ homeId: a.row.homeId, name: s.nameOf(a.row.homeId), number: a.row.number, dueDate: a.row.dueDate })),
    completedThisWeek: views.filter((a) => a.completedThisWeek).length,
  };
}
