/** The words of the delivery path: a recipient of a prepared message, a job occurrence, and what became of each send. */
import type { ConversationKind, ConversationRef, OutgoingMessage } from '../messaging';

export interface Recipient {
  /** unique within the occurrence, e.g. "user:<objectId>:<homeId>" or "channel:<areaId>" */
  key: string;
  /** where the reference is kept, so that a 403/404 can mark it stale */
  kind: ConversationKind;
  conversationKey: string;
  reference: ConversationRef;
  message: OutgoingMessage;
}

/** One run of a job for one area and date. */
export interface OccurrenceId {
  job: string;
  area: string;
  date: string;
}

export interface DeliveryOutcome {
  key: string;
  outcome: 'sent' | 'stale' | 'failed' | 'skipped';
  activityId?: string;
  status?: number;
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  stale: number;
  failed: number;
  outcomes: DeliveryOutcome[];
}

export type Progress = (event: { done: number; total: number; note?: string }) => void;
