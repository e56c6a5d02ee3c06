/** Environment → typed configuration, read once at start; a bad value stops the start with every problem listed. */
import { z } from 'zod';

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
  if (v('ALLOWED_TENANTS') && tenantList(v('ALLOWED_TENANTS'), undefined).length === 0) problems.push('ALLOWED_TENANTS: lists no tenant id');
  return problems;
}

export type Config = z.infer<typeof schema> & {
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
    allowedTenants: tenantList(parsed.data.ALLOWED_TENANTS, parsed.data.MicrosoftAppTenantId),
    listenHost: parsed.data.HOST ?? (authEnabled ? '0.0.0.0' : '127.0.0.1'),
  };
}
