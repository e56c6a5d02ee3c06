/** The one RAG vocabulary: huddle answers, staffing, plan actions and the digest all speak it. */
export const RAGS = ['green', 'amber', 'red'] as const;
export type Rag = (typeof RAGS)[number];

export const RAG_WORD: Record<Rag, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

export const isRag = (value: unknown): value is Rag => RAGS.includes(value as Rag);

/** §5, the one action rule: green when completed; red when past due or not on target; amber otherwise. */
export function actionRag(a: { completed: boolean; overdue: boolean; onTarget: boolean }): Rag {
  if (a.completed) return 'green';
  if (a.overdue || !a.onTarget) return 'red';
  return 'amber';
}
