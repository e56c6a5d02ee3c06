/** Environment → typed configuration, read once at start; a bad value stops the start with every problem listed. */
import { z } from 'zod';
import { RECORD_TABLE_NAMES, type RecordTableName } from './storage/table-names';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

const schema = z
  .object({
    PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
    HOST: optionalString,
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.preprocess(blankToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
    MicrosoftAppTenantId: optionalString,
    ALLOWED_TENANTS: optionalString,
    BOT_OPENID_METADATA_URL: z.preprocess(blankToUndefined, z.string().url().optional()),
    BOT_TOKEN_ISSUER: optionalString,
    STORAGE_CONNECTION_STRING: optionalString,
    STORAGE_ACCOUNT_URL: z.preprocess(blankToUndefined, z.string().url().startsWith('https://', 'must be an https:// Table endpoint').optional()),
    STORAGE_QUEUE_URL: z.preprocess(blankToUndefined, z.string().url().startsWith('https://', 'must be an https:// Queue endpoint').optional()),
    TABLE_PREFIX: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'must be a letter then up to 19 letters or digits').optional()),
    JOBS_API_KEY: z.preprocess(blankToUndefined, z.string().min(32, 'must be at least 32 characters (a random secret: openssl rand -hex 32)').optional()),
    SCHEDULER: z.preprocess(blankToUndefined, z.enum(['on', 'off']).default('on')),
    SEND_RATE_PER_SECOND: z.preprocess(blankToUndefined, z.coerce.number().positive().max(50).default(40)),
    DATA_DIR: z.preprocess(blankToUndefined, z.string().default('.data')),
    /** an open escalation nobody has taken on is reminded to the area's support team and approvers after this long (§4) */
    UNOWNED_REMINDER_HOURS: z.preprocess(blankToUndefined, z.coerce.number().positive().max(72).default(4)),
    HELP_CONTACT: z.preprocess(blankToUndefined, z.string().max(200).default('your support team lead')),
    /** the backup account (separate from STORAGE_*): its Blob endpoint, reached with the managed identity */
    BACKUP_STORAGE_URL: z.preprocess(blankToUndefined, z.string().url().startsWith('https://', 'must be an https:// Blob endpoint').optional()),
    /** or a connection string (Azurite, local use and tests) */
    BACKUP_CONNECTION_STRING: optionalString,
    BACKUP_CONTAINER: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a Blob container name').default('table-backups')),
    /** `table=DAYS,…` (or `table=keep`): how long each records table keeps a finished record; every table keeps all by default */
    RECORDS_RETENTION: z.preprocess(blankToUndefined, z.string().optional()),
    LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  });

/** ALLOWED_TENANTS, else MicrosoftAppTenantId; ids are compared in lower case and not checked as GUIDs. */
const tenantList = (allowed: string | undefined, appTenant: string | undefined): string[] =>
  (allowed ?? appTenant ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);

/** Rules between variables, checked on the raw values so that they are listed with the others. */
function crossProblems(env: NodeJS.ProcessEnv): string[] {
  const v = (key: string) => (env[key]?.trim() ? env[key]!.trim() : undefined);
  const type = v('MicrosoftAppType') ?? 'MultiTenant';
  const problems: string[] = [];
  const need = (key: string, why: string) => {
    if (!v(key)) problems.push(`${key}: is required ${why}`);
  };
  if (v('STORAGE_CONNECTION_STRING') && v('STORAGE_ACCOUNT_URL')) problems.push('STORAGE_ACCOUNT_URL: set either STORAGE_CONNECTION_STRING or STORAGE_ACCOUNT_URL, not both');
  if (v('MicrosoftAppId')) {
    if (type === 'UserAssignedMSI') need('MicrosoftAppTenantId', 'when MicrosoftAppType is UserAssignedMSI');
    if (type === 'SingleTenant') {
      need('MicrosoftAppTenantId', 'when MicrosoftAppType is SingleTenant');
      need('MicrosoftAppPassword', 'when MicrosoftAppType is SingleTenant');
    }
    if (type === 'MultiTenant') need('MicrosoftAppPassword', 'when MicrosoftAppId is set and MicrosoftAppType is MultiTenant');
    if (type === 'UserAssignedMSI' && v('MicrosoftAppPassword')) problems.push('MicrosoftAppPassword: must be empty with a managed identity (UserAssignedMSI has no secret)');
    if (!v('ALLOWED_TENANTS') && !v('MicrosoftAppTenantId')) {
      problems.push('ALLOWED_TENANTS: is required when MicrosoftAppId is set (the tenant ids whose people may use the bot, comma separated), or set MicrosoftAppTenantId');
    }
  } else if (v('MicrosoftAppPassword')) {
    problems.push('MicrosoftAppId: is required when MicrosoftAppPassword is set');
  }
  if (v('BACKUP_STORAGE_URL') && v('BACKUP_CONNECTION_STRING')) problems.push('BACKUP_STORAGE_URL: set either BACKUP_CONNECTION_STRING or BACKUP_STORAGE_URL, not both');
  problems.push(...parseRetention(v('RECORDS_RETENTION')).problems);
  if (v('ALLOWED_TENANTS') && tenantList(v('ALLOWED_TENANTS'), undefined).length === 0) problems.push('ALLOWED_TENANTS: lists no tenant id');
  return problems;
}

/** RECORDS_RETENTION: `huddles=3650,audit=keep`; a table left out keeps everything. */
export function parseRetention(value: string | undefined): { days: Partial<Record<RecordTableName, number>>; problems: string[] } {
  const days: Partial<Record<RecordTableName, number>> = {};
  const problems: string[] = [];
  for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(keep|\d+)$/.exec(part);
    const table = m?.[1] as RecordTableName | undefined;
    if (!m || !table) problems.push(`RECORDS_RETENTION: "${part}" is not table=DAYS or table=keep`);
    else if (!(RECORD_TABLE_NAMES as readonly string[]).includes(table)) problems.push(`RECORDS_RETENTION: "${table}" is not a records table (${RECORD_TABLE_NAMES.join(', ')})`);
    else if (m[2] !== 'keep' && Number(m[2]) < 1) problems.push(`RECORDS_RETENTION: ${table} must keep at least 1 day`);
    else if (m[2] !== 'keep') days[table] = Number(m[2]);
  }
  return { days, problems };
}

export type Config = z.infer<typeof schema> & {
  /** days each records table keeps a finished record (RECORDS_RETENTION); absent: kept */
  recordsRetention: Partial<Record<RecordTableName, number>>;
  authEnabled: boolean;
  /** lower-case tenant ids an activity may come from; empty means any (only with authentication off) */
  allowedTenants: string[];
  /** where the server listens: HOST, else 127.0.0.1 with authentication off, 0.0.0.0 with it on */
  listenHost: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration, or throws one ConfigError that lists every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`)), ...crossProblems(env)];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const authEnabled = !!parsed.data.MicrosoftAppId;
  return {
    ...parsed.data,
    authEnabled,
    recordsRetention: parseRetention(parsed.data.RECORDS_RETENTION).days,
    allowedTenants: tenantList(parsed.data.ALLOWED_TENANTS, parsed.data.MicrosoftAppTenantId),
    listenHost: parsed.data.HOST ?? (authEnabled ? '0.0.0.0' : '127.0.0.1'),
  };
}
