/** The Table (and Queue) clients: a connection string (Azurite or a key) or an account URL with DefaultAzureCredential. */
import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { currentDeadline, DeadlineError, UnconfirmedWriteError } from './deadline';
import { TABLE_NAMES, type TableName } from './table-names';

export interface StorageSettings {
  connectionString?: string;
  accountUrl?: string;
  queueUrl?: string;
  prefix?: string;
}

/**
 * Few, quick retries: a card invoke must answer "not saved, try again" within Teams' invoke time
 * rather than wait out the SDK's default backoff.
 */
const clientOptions = (allowInsecure: boolean): TableServiceClientOptions => ({
  allowInsecureConnection: allowInsecure,
  retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 800 },
});

type Policy = Parameters<TableClient['pipeline']['addPolicy']>[0];

/**
 * The request's deadline on every call of a table client (src/storage/deadline.ts): its signal aborts the call
 * and its retries; a write whose answer the deadline cut off is an UnconfirmedWriteError (it may be stored),
 * one cut off before it left is a DeadlineError (nothing was written). Placed before the retry policy.
 */
export const deadlinePolicy: Policy = {
  name: 'requestDeadline',
  async sendRequest(request, next) {
    const d = currentDeadline();
    if (!d) return next(request);
    if (d.signal.aborted) throw new DeadlineError();
    request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, d.signal]) : d.signal;
    if (request.method === 'GET' || request.method === 'HEAD') {
      try {
        return await next(request);
      } catch (e) {
        throw d.signal.aborted ? new DeadlineError() : e;
      }
    }
    d.writes++;
    d.unconfirmed++;
    try {
      const res = await next(request);
      d.unconfirmed--;
      if (res.status < 300) d.written++;
      return res;
    } catch (e) {
      if (d.signal.aborted) throw new UnconfirmedWriteError();
      d.unconfirmed--; // an answer came (a 409, a 5xx after retries): not written
      throw e;
    }
  },
};

export class Storage {
  private readonly clients = new Map<TableName, TableClient>();
  private readonly credential?: TokenCredential;

  constructor(readonly settings: StorageSettings) {
    if (!settings.connectionString && !settings.accountUrl) throw new Error('Storage needs a connection string or an account URL');
    if (!settings.connectionString) this.credential = new DefaultAzureCredential();
  }

  get prefix(): string {
    return this.settings.prefix ?? '';
  }

  /** The Table endpoint is http:// only on the local emulator. */
  private get insecure(): boolean {
    return /TableEndpoint=http:\/\//i.test(this.settings.connectionString ?? '') || /UseDevelopmentStorage=true/i.test(this.settings.connectionString ?? '');
  }

  table(name: TableName): TableClient {
    let client = this.clients.get(name);
    if (!client) {
      const full = `${this.prefix}${name}`;
      client = this.settings.connectionString
        ? TableClient.fromConnectionString(this.settings.connectionString, full, clientOptions(this.insecure))
        : new TableClient(this.settings.accountUrl!, full, this.credential!, clientOptions(false));
      client.pipeline.addPolicy(deadlinePolicy);
      this.clients.set(name, client);
    }
    return client;
  }

  /** A queue (name already valid: lower-case letters, digits, hyphens); the Queue endpoint beside the Table one. */
  queue(name: string): QueueClient {
    if (this.settings.connectionString) return QueueServiceClient.fromConnectionString(this.settings.connectionString).getQueueClient(name);
    const url = this.settings.queueUrl ?? this.settings.accountUrl!.replace('.table.', '.queue.');
    return new QueueServiceClient(url, this.credential!).getQueueClient(name);
  }

  service(): TableServiceClient {
    return this.settings.connectionString
      ? TableServiceClient.fromConnectionString(this.settings.connectionString, clientOptions(this.insecure))
      : new TableServiceClient(this.settings.accountUrl!, this.credential!, clientOptions(false));
  }

  /** Creates every table the app uses (createTable is a no-op when it exists). */
  async ensureTables(): Promise<void> {
    await Promise.all(TABLE_NAMES.map((name) => this.table(name).createTable()));
  }

  /** True when Table storage answers a small query within the timeout. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    const abort = AbortSignal.timeout(timeoutMs);
    try {
      const pages = this.table('areas').listEntities({ abortSignal: abort }).byPage({ maxPageSize: 1 });
      await pages.next();
      return true;
    } catch {
      return false;
    }
  }
}

/** Keys may not hold / \ # ? or control characters; percent-encoding keeps them readable in Storage Explorer. */
export const encodeKey = (value: string): string => encodeURIComponent(value).replace(/'/g, '%27');
export const decodeKey = (value: string): string => decodeURIComponent(value);

/** True for the "not found" answer of a point read or delete. */
export const isNotFound = (e: unknown): boolean => (e as { statusCode?: number })?.statusCode === 404;
/** True for an ETag mismatch (someone else wrote first) or an insert that already exists. */
export const isConflict = (e: unknown): boolean => [409, 412].includes((e as { statusCode?: number })?.statusCode ?? 0);
