/** Everything a use case, verb or job needs, built once at start and passed down: the table modules, never raw storage. */
import type { Config } from './config';
import { log as rootLog, type Logger } from './log';
import type { Messenger } from './messaging';
import type { Storage } from './storage/client';
import { openTables, type Tables } from './storage/tables';

export type Clock = () => Date;

export interface AppContext extends Tables {
  config: Config;
  clock: Clock;
  log: Logger;
  /** set once the Teams adapter exists */
  messenger?: Messenger;
  /** tells this instance's delivery worker that a send intent was recorded (it also scans for them) */
  wakeDelivery?: () => void;
}

export function createContext(config: Config, storage: Storage, clock: Clock = () => new Date(), logger: Logger = rootLog): AppContext {
  return { config, clock, log: logger, ...openTables(storage) };
}
