/** Whether the app can reach a person in their 1:1 chat, and why not, in the words the daily summary and `help` share (§3, issue 15). */

/** Why the app could not reach a person in their 1:1 chat, if it could not. */
export type Reach = 'reachable' | 'not-installed' | 'gone';

export const REACH_WORDS: Record<Exclude<Reach, 'reachable'>, string> = {
  'not-installed': 'not reached: has not installed the app',
  gone: 'not reached: removed the app or blocked it',
};

/** "Graham Doig", or "Graham Doig (not reached: has not installed the app)". */
export const nameWithReach = (name: string, reach: Reach): string => (reach === 'reachable' ? name : `${name} (${REACH_WORDS[reach]})`);
