/** Every table module over one storage account: the only place they are built (the context holds them). */
import { ActionsTable } from './actions.table';
import { AreaLinksTable } from './arealinks.table';
import { AuditTable } from './audit.table';
import type { Storage } from './client';
import { ConversationsTable } from './conversations.table';
import { DeliveriesTable } from './deliveries.table';
import { DeliveryQueues } from './delivery-queues';
import { loadDigestSource, type DigestSource, type DigestSourceQuery } from './digest-source';
import { DigestsTable } from './digests.table';
import { DirectoryStore } from './directory.store';
import { EscalationsTable } from './escalations.table';
import { ExportsTable } from './exports.table';
import { HuddlesTable } from './huddles.table';
import { JobRunsTable } from './jobruns.table';
import { OccurrencesTable } from './occurrences.table';
import { NotificationsTable } from './notifications.table';
import { PlanChatsTable } from './planchats.table';
import { PlansTable } from './plans.table';
import { RecordsRetention } from './records-retention';
import { TableBackups } from './backup';
import { SendersTable } from './senders.table';

export interface Tables {
  directory: DirectoryStore;
  conversations: ConversationsTable;
  areaLinks: AreaLinksTable;
  audit: AuditTable;
  huddles: HuddlesTable;
  escalations: EscalationsTable;
  plans: PlansTable;
  actions: ActionsTable;
  planChats: PlanChatsTable;
  notifications: NotificationsTable;
  digests: DigestsTable;
  deliveries: DeliveriesTable;
  senders: SendersTable;
  queues: DeliveryQueues;
  /** the durable schedule: what each occurrence became */
  occurrences: OccurrencesTable;
  /** jobs run by hand, followed at GET /api/jobs/runs/{id} */
  jobRuns: JobRunsTable;
  /** RECORDS_RETENTION's removals, table by table */
  records: RecordsRetention;
  /** the nightly copy of every table to the backup account */
  backups: TableBackups;
  /** the chat exports' send intents (file consent accepted or declined) */
  exports: ExportsTable;
  /** what the weekly digest reads, as plain rows */
  digestSource(query: DigestSourceQuery): Promise<DigestSource>;
  /** true when Table storage answers (GET /healthz) */
  storageAnswers(): Promise<boolean>;
}

export function openTables(storage: Storage): Tables {
  const directory = new DirectoryStore(storage);
  return {
    directory,
    conversations: new ConversationsTable(storage.table('conversations')),
    areaLinks: new AreaLinksTable(storage.table('arealinks')),
    audit: new AuditTable(storage.table('audit')),
    // The answers' send intents are read area by area (one small RowKey range each), not by scanning every answer.
    huddles: new HuddlesTable(storage.table('huddles'), async () => (await directory.view()).directory.areas.map((a) => a.id)),
    escalations: new EscalationsTable(storage.table('escalations')),
    plans: new PlansTable(storage.table('plans')),
    actions: new ActionsTable(storage.table('actions')),
    planChats: new PlanChatsTable(storage.table('planchats')),
    notifications: new NotificationsTable(storage.table('notifications')),
    digests: new DigestsTable(storage.table('digests')),
    deliveries: new DeliveriesTable(storage),
    senders: new SendersTable(storage),
    queues: new DeliveryQueues(storage),
    occurrences: new OccurrencesTable(storage.table('occurrences')),
    jobRuns: new JobRunsTable(storage.table('jobruns')),
    records: new RecordsRetention(storage),
    backups: new TableBackups(storage),
    exports: new ExportsTable(storage.table('exports')),
    digestSource: (query) => loadDigestSource(storage, query),
    storageAnswers: () => storage.ping(),
  };
}
