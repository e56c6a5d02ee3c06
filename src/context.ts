/** Everything a use case, verb or job needs, built once at start and passed down: the table modules, never raw storage. */
import type { Config } from './config';
import { log as rootLog, type Logger } from './log';
import type { Messenger } from './messaging';
import { ActionsTable } from './storage/actions.table';
import { AreaLinksTable } from './storage/arealinks.table';
import { AuditTable } from './storage/audit.table';
import type { Storage } from './storage/client';
import { ConversationsTable } from './storage/conversations.table';
import { DeliveriesTable } from './storage/deliveries.table';
import { DeliveryQueues } from './storage/delivery-queues';
import { loadDigestSource, type DigestSource, type DigestSourceQuery } from './storage/digest-source';
import { DigestsTable } from './storage/digests.table';
import { DirectoryStore } from './storage/directory.store';
import { EscalationsTable } from './storage/escalations.table';
import { HuddlesTable } from './storage/huddles.table';
import { PlanChatsTable } from './storage/planchats.table';
import { PlansTable } from './storage/plans.table';
import { SendersTable } from './storage/senders.table';

export type Clock = () => Date;

export interface AppContext {
  config: Config;
  clock: Clock;
  log: Logger;
  directory: DirectoryStore;
  conversations: ConversationsTable;
  areaLinks: AreaLinksTable;
  audit: AuditTable;
  huddles: HuddlesTable;
  escalations: EscalationsTable;
  plans: PlansTable;
  actions: ActionsTable;
  planChats: PlanChatsTable;
  digests: DigestsTable;
  deliveries: DeliveriesTable;
  senders: SendersTable;
  queues: DeliveryQueues;
  /** what the weekly digest reads, as plain rows */
  digestSource(query: DigestSourceQuery): Promise<DigestSource>;
  /** true when Table storage answers (GET /healthz) */
  storageAnswers(): Promise<boolean>;
  /** set once the Teams adapter exists */
  messenger?: Messenger;
}

export function createContext(config: Config, storage: Storage, clock: Clock = () => new Date(), logger: Logger = rootLog): AppContext {
  return {
    config,
    clock,
    log: logger,
    directory: new DirectoryStore(storage),
    conversations: new ConversationsTable(storage.table('conversations')),
    areaLinks: new AreaLinksTable(storage.table('arealinks')),
    audit: new AuditTable(storage.table('audit')),
    huddles: new HuddlesTable(storage.table('huddles')),
    escalations: new EscalationsTable(storage.table('escalations')),
    plans: new PlansTable(storage.table('plans')),
    actions: new ActionsTable(storage.table('actions')),
    planChats: new PlanChatsTable(storage.table('planchats')),
    digests: new DigestsTable(storage.table('digests')),
    deliveries: new DeliveriesTable(storage),
    senders: new SendersTable(storage),
    queues: new DeliveryQueues(storage),
    digestSource: (query) => loadDigestSource(storage, query),
    storageAnswers: () => storage.ping(),
  };
}
