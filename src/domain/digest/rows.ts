/** What the digest is computed from: plain rows of huddle answers, escalations and plan actions (no storage shapes). */
import type { Weekday } from '../calendar';
import type { Rag } from '../rag';

export type OutbreakStatus = 'none' | 'suspected' | 'confirmed' | 'closing';

export interface DigestAreaInput {
  id: string;
  name: string;
  timezone: string;
  huddleDays: readonly Weekday[];
}

export interface DigestHomeInput {
  id: string;
  name: string;
  registeredPlaces: number;
}

/** One stored huddle answer; the free-text `concern` is deliberately not part of it. */
export interface HuddleRow {
  homeId: string;
  date: string;
  rag: Rag;
  reasons: string[];
  residents?: number;
  bedsAvailable?: number;
  bedsClosed?: number;
  bedsClosedReason?: string;
  staffingRag?: Rag;
  shiftsUnfilled?: number;
  agencyShifts?: number;
  nurseCoverGap?: boolean;
  outbreakStatus?: OutbreakStatus;
  newCasesResidents?: number;
  newCasesStaff?: number;
  careInspectorateNotified?: boolean;
  fallsWithHarm?: number;
  newPressureUlcers?: number;
  deaths?: number;
  unexpectedDeaths?: number;
  protectionConcern?: boolean;
}

/** That a home recorded telling the Care Inspectorate of an event of a huddle (the `notifications` table; who is not needed). */
export interface NotificationRow {
  homeId: string;
  /** the huddle's date */
  date: string;
  kind: string;
}

/** A change of an escalation's state (from the audit log, or from the row's own time columns). */
export interface EscalationEvent {
  from?: string;
  to: string;
  at: string;
  pathway?: string;
}

export interface EscalationRow {
  id: string;
  homeId: string;
  state: string;
  openedAt: string;
  owner?: string;
  pathway?: string;
  events: EscalationEvent[];
}

export interface ActionRow {
  homeId: string;
  theme: number;
  number: string;
  status: 'open' | 'completed';
  onTarget: boolean;
  dueDate: string;
  completedAt?: string;
}

export interface DigestInput {
  area: DigestAreaInput;
  homes: DigestHomeInput[];
  /** the day the digest is sent (YYYY-MM-DD, area time zone) */
  sendDate: string;
  /** answers of the week and of the week before */
  huddles: HuddleRow[];
  escalations: EscalationRow[];
  actions: ActionRow[];
  /** Care Inspectorate notifications recorded for the answers of the week (none given: none recorded) */
  notifications?: NotificationRow[];
}
