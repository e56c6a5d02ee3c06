/**
 * Application Insights through @azure/monitor-opentelemetry, on only when APPLICATIONINSIGHTS_CONNECTION_STRING is
 * set: requests (the restify server's HTTP), dependencies (Table, Queue and Blob storage, the Bot Connector) and the
 * custom events of `track`. An event carries a fixed name and ids and codes only: `track` keeps the properties it
 * knows whose values look like an id or a code (no space, no "@"), and drops every other one, so a name, an e-mail or
 * free text can never reach Application Insights through it. Off, `track` does nothing and nothing is registered.
 */
import { shutdownAzureMonitor, useAzureMonitor, type AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';

/** The custom events, one a thing an operator is alerted on or counts (docs/deploy.md names the alerts). */
export const EVENTS = [
  /** an escalation's card was posted or updated in its area's support channel */
  'ESCALATION.POSTED',
  /** an escalation's card could not be posted: no channel linked, the channel gone, or Teams gave up: nobody reached */
  'ESCALATION.NOT_REACHABLE',
  /** a scheduled job occurrence ran to its end */
  'JOB.DONE',
  /** a scheduled job occurrence was too late to run (reported, or not, per `why`) */
  'JOB.MISSED',
  /** a delivery was given up: a queue message poisoned, or an outbox intent out of attempts */
  'DELIVERY.POISONED',
  /** Teams answered 403/404 for a conversation: its reference is marked stale */
  'REFERENCE.STALE',
] as const;
export type EventName = (typeof EVENTS)[number];

/** The properties an event may carry: ids, codes and counts. */
const KEYS = ['code', 'area', 'home', 'job', 'date', 'intent', 'table', 'kind', 'status', 'escalation', 'why', 'attempts', 'sent', 'failed', 'skipped', 'reported'] as const;
export type EventProps = Partial<Record<(typeof KEYS)[number], string | number | boolean | undefined>>;

/** An id or a code: letters, digits and . _ - : | % only, at most 100 characters (no space, so no sentence; no @, so no e-mail). */
const SAFE = /^[A-Za-z0-9._:|%-]{1,100}$/;

/** What `track` sends: only known keys, and only values that are numbers, booleans or ids. */
export function safeProps(props: EventProps): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of KEYS) {
    const v = props[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (typeof v === 'boolean') out[key] = v;
    else if (typeof v === 'string' && SAFE.test(v)) out[key] = v;
  }
  return out;
}

/** The URL attributes a span may carry; a storage URL names entity keys (an e-mail in `people`'s), so only its path's first part is kept. */
const URL_ATTRIBUTES = ['url.full', 'http.url', 'url.path', 'url.query', 'http.target', 'server.address'];
export function scrubUrl(value: string): string {
  try {
    const u = new URL(value, 'http://x');
    const path = u.pathname.split('/').slice(0, 3).join('/').replace(/\(.*$/, '');
    return /^https?:\/\//.test(value) ? `${u.protocol}//${u.host}${path}` : path;
  } catch {
    return '';
  }
}

type SpanProcessor = NonNullable<AzureMonitorOpenTelemetryOptions['spanProcessors']>[number];
type Attrs = Record<string, unknown>;
const scrubAttributes = (attributes: Attrs) => {
  for (const key of URL_ATTRIBUTES) if (key !== 'server.address' && typeof attributes[key] === 'string') attributes[key] = scrubUrl(attributes[key] as string);
};
/** Scrubs a span's URL at its start and at its end (attributes set late by an instrumentation included). */
const urlScrubber: SpanProcessor = {
  onStart: (span) => scrubAttributes((span as unknown as { attributes: Attrs }).attributes ?? {}),
  onEnd: (span) => scrubAttributes(span.attributes as Attrs),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

export interface TelemetryOptions {
  /** tests: processors that see what would be exported (an in-memory exporter's) */
  logRecordProcessors?: AzureMonitorOpenTelemetryOptions['logRecordProcessors'];
  spanProcessors?: AzureMonitorOpenTelemetryOptions['spanProcessors'];
}

let on = false;

/** Starts Application Insights when the connection string is set; answers whether it is on. Call before restify is loaded. */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env, opts: TelemetryOptions = {}): boolean {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString || on) return on;
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    enableLiveMetrics: false,
    instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
    spanProcessors: [urlScrubber, ...(opts.spanProcessors ?? [])],
    logRecordProcessors: opts.logRecordProcessors ?? [],
  });
  on = true;
  return on;
}

export const telemetryOn = (): boolean => on;

/** One custom event (an Application Insights customEvent), with ids and codes only; nothing when telemetry is off. */
export function track(name: EventName, props: EventProps = {}): void {
  if (!on) return;
  try {
    logs.getLogger('care-home-huddle').emit({
      severityNumber: SeverityNumber.INFO,
      body: name,
      attributes: { 'microsoft.custom_event.name': name, ...safeProps(props) },
    });
  } catch {
    // telemetry never stops the work it describes
  }
}

/** Flushes and stops (at shutdown, and between tests). */
export async function stopTelemetry(): Promise<void> {
  if (!on) return;
  on = false;
  await shutdownAzureMonitor();
}
