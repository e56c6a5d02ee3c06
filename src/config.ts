/** Environment → typed configuration, read once at start; a bad value stops the start with every problem listed. */
import { z } from 'zod';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

const schema = z
  .object({
    PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.preprocess(blankToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
    MicrosoftAppTenantId: optionalString,
    STORAGE_CONNECTION_STRING: optionalString,
    STORAGE_ACCOUNT_URL: z.preprocess(blankToUndefined, z.string().url().startsWith('https://', 'must be an https:// Table endpoint').optional()),
    STORAGE_QUEUE_URL: z.preprocess(blankToUndefined, z.string().url().startsWith('https://', 'must be an https:// Queue endpoint').optional()),
    TABLE_PREFIX: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'must be a letter then up to 19 letters or digits').optional()),
    JOBS_API_KEY: z.preprocess(blankToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    SCHEDULER: z.preprocess(blankToUndefined, z.enum(['on', 'off']).default('on')),
    SEND_RATE_PER_SECOND: z.preprocess(blankToUndefined, z.coerce.number().positive().max(50).default(40)),
    DATA_DIR: z.preprocess(blankToUndefined, z.string().default('.data')),
    HELP_CONTACT: z.preprocess(blankToUndefined, z.string().max(200).default('your support team lead')),
    LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  })
  .superRefine((c, ctx) => {
    const need = (key: keyof typeof c, why: string) => {
      if (!c[key]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `is required ${why}` });
    };
    if (c.STORAGE_CONNECTION_STRING && c.STORAGE_ACCOUNT_URL) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['STORAGE_ACCOUNT_URL'], message: 'set either STORAGE_CONNECTION_STRING or STORAGE_ACCOUNT_URL, not both' });
    }
    if (c.MicrosoftAppId) {
      if (c.MicrosoftAppType === 'UserAssignedMSI') need('MicrosoftAppTenantId', 'when MicrosoftAppType is UserAssignedMSI');
      if (c.MicrosoftAppType === 'SingleTenant') {
        need('MicrosoftAppTenantId', 'when MicrosoftAppType is SingleTenant');
        need('MicrosoftAppPassword', 'when MicrosoftAppType is SingleTenant');
      }
      if (c.MicrosoftAppType === 'MultiTenant') need('MicrosoftAppPassword', 'when MicrosoftAppId is set and MicrosoftAppType is MultiTenant');
      if (c.MicrosoftAppType === 'UserAssignedMSI' && c.MicrosoftAppPassword) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppPassword'], message: 'must be empty with a managed identity (UserAssignedMSI has no secret)' });
      }
    } else if (c.MicrosoftAppPassword) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppId'], message: 'is required when MicrosoftAppPassword is set' });
    }
  });

export type Config = z.infer<typeof schema> & { authEnabled: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration, or throws one ConfigError that lists every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  return { ...parsed.data, authEnabled: !!parsed.data.MicrosoftAppId };
}
