/** Everything a route or job needs, built once at start and passed down. */
import type { Config } from './config';
import { JobRegistry } from './jobs/registry';
import { log as rootLog, type Logger } from './log';
import type { Messenger } from './messaging';
import { AreaLinksTable } from './storage/arealinks.table';
import { ActionsTable } from './storage/actions.table';
import { AuditTable } from './storage/audit.table';
import type { Storage } from './storage/client';
import { ConversationsTable } from './storage/conversations.table';
import { DirectoryStore } from './storage/directory.store';
import { HuddlesTable } from './storage/huddles.table';
import { PlanChatsTable } from './storage/planchats.table';
import { PlansTable } from './storage/plans.table';

export type Clock = () => Date;

export interface AppContext {
  config: Config;
  storage: Storage;
  clock: Clock;
  log: Logger;
  directory: DirectoryStore;
  conversations: ConversationsTable;
  areaLinks: AreaLinksTable;
  audit: AuditTable;
  huddles: HuddlesTable;
  jobs: JobRegistry;
  plans: PlansTable;
  actions: ActionsTable;
  planChats: PlanChatsTable;
  /** set once the Teams adapter exists */
  messenger?: Messenger;
}

export function createContext(config: Config, storage: Storage, clock: Clock = () => new Date(), logger: Logger = rootLog): AppContext {
  return {
    config,
    storage,
    clock,
    log: logger,
    directory: new DirectoryStore(storage),
    conversations: new ConversationsTable(storage.table('conversations')),
    areaLinks: new AreaLinksTable(storage.table('arealinks')),
    audit: new AuditTable(storage.table('audit')),
    huddles: new HuddlesTable(storage.table('huddles')),
    jobs: new JobRegistry(),
    plans: new PlansTable(storage.table('plans')),
    actions: new ActionsTable(storage.table('actions')),
    planChats: new PlanChatsTable(storage.table('planchats')),
  };
}
