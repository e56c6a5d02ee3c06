/**
 * THE list of Action.Execute verbs: one line a verb, naming the use case it runs, the card it answers
 * with, and the fields its card sends (the fuzz test and docs/architecture.md read this list).
 * A new verb is one line here, one use-case function in src/app and one card in src/cards.
 */
import { raiseConcern } from '../app/concern';
import { viewDailySummary } from '../app/daily-summary';
import { actOnEscalation, viewEscalation } from '../app/escalation';
import { amendHuddle, openHuddle, recordNotification, submitHuddle } from '../app/huddle';
import type { Asker, CardData, Outcome } from '../app/outcome';
import { changePlanAction, createPlanAction, editPlan } from '../app/plan';
import type { AppContext } from '../context';
import { concernAnswer, dailySummaryAnswer, escalationAnswer, huddleAnswer, planAnswer, type Card } from './answers';

export interface Verb {
  run(ctx: AppContext, asker: Asker, data: CardData): Promise<Outcome<unknown>>;
  card(outcome: Outcome<unknown>): Card;
  /** the data the verb's card sends (besides what any card may add) */
  fields: readonly string[];
}

const verb = <V>(run: (ctx: AppContext, asker: Asker, data: CardData) => Promise<Outcome<V>>, card: (o: Outcome<V>) => Card, fields: readonly string[]): Verb =>
  ({ run, card, fields }) as Verb;

const HUDDLE_FIELDS = ['homeId', 'date', 'residents', 'bedsAvailable', 'bedsClosed', 'bedsClosedReason', 'staffingRag', 'shiftsUnfilled', 'agencyShifts', 'nurseCoverGap', 'outbreakStatus', 'newCasesResidents', 'newCasesStaff', 'careInspectorateNotified', 'ppeSupply', 'fallsWithHarm', 'newPressureUlcers', 'deaths', 'unexpectedDeaths', 'hospitalAdmissions', 'hospitalDischarges', 'visiting', 'protectionConcern', 'supportNeeded', 'concern', 'amendsVersion', 'amendsEtag'];

export const VERBS: Record<string, Verb> = {
  'huddle.open':         verb(openHuddle, huddleAnswer, ['homeId', 'date']),
  'huddle.amend':        verb(amendHuddle, huddleAnswer, ['homeId', 'date']),
  'huddle.submit':       verb(submitHuddle, huddleAnswer, HUDDLE_FIELDS),
  'notification.record': verb(recordNotification, huddleAnswer, ['homeId', 'date', 'kind']),
  'escalation.raise':    verb(raiseConcern, concernAnswer, ['homeId', 'concern', 'protection', 'submitted']),
  'escalation.refresh':  verb(viewEscalation, escalationAnswer, ['escalationId']),
  'escalation.assign':   verb(actOnEscalation('assign'), escalationAnswer, ['escalationId', 'version', 'owner']),
  'escalation.local':    verb(actOnEscalation('local'), escalationAnswer, ['escalationId', 'version', 'note', 'keyWorker']),
  'escalation.request':  verb(actOnEscalation('request'), escalationAnswer, ['escalationId', 'version', 'pathway', 'rationale']),
  'escalation.refer':    verb(actOnEscalation('refer'), escalationAnswer, ['escalationId', 'version', 'reference']),
  'escalation.approve':  verb(actOnEscalation('approve'), escalationAnswer, ['escalationId', 'version', 'externalRef']),
  'escalation.reject':   verb(actOnEscalation('reject'), escalationAnswer, ['escalationId', 'version', 'reason']),
  'escalation.close':    verb(actOnEscalation('close'), escalationAnswer, ['escalationId', 'version', 'outcome']),
  'summary.refresh':     verb(viewDailySummary, dailySummaryAnswer, ['areaId', 'date']),
  'action.create':       verb(createPlanAction, planAnswer, ['homeId', 'theme', 'description', 'outcome', 'responsibleEmail', 'responsibleName', 'due']),
  'action.update':       verb(changePlanAction('update'), planAnswer, ['homeId', 'actionNo', 'comment_2_1', 'onTarget_2_1', 'due_2_1', 'reason_2_1']),
  'action.complete':     verb(changePlanAction('complete'), planAnswer, ['homeId', 'actionNo', 'achieved_2_1']),
  'plan.edit':           verb(editPlan, planAnswer, ['homeId', 'partnershipLead', 'registeredManager', 'serviceType', 'commencementDate', 'reviewDate', 'context_1']),
};
