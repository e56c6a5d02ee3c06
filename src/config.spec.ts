import { ConfigError, loadConfig } from './config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('defaults to local use: port 3978, auth off, scheduler on', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3978);
    expect(c.authEnabled).toBe(false);
    expect(c.SCHEDULER).toBe('on');
    expect(c.SEND_RATE_PER_SECOND).toBe(40);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '  ', JOBS_API_KEY: '' }).authEnabled).toBe(false);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      SCHEDULER: 'sometimes',
      JOBS_API_KEY: 'short',
      STORAGE_ACCOUNT_URL: 'http://insecure.table.core.windows.net',
      TABLE_PREFIX: '1bad',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['JOBS_API_KEY', 'LOG_LEVEL', 'PORT', 'SCHEDULER', 'STORAGE_ACCOUNT_URL', 'TABLE_PREFIX']);
  });

  it('refuses both a connection string and an account URL', () => {
    expect(problemsOf({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', STORAGE_ACCOUNT_URL: 'https://a.table.core.windows.net' })[0]).toContain('not both');
  });

  it('needs a password for a multi-tenant app id, and a tenant for a managed identity', () => {
    expect(problemsOf({ MicrosoftAppId: 'app' })[0]).toContain('MicrosoftAppPassword');
    expect(problemsOf({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI' })[0]).toContain('MicrosoftAppTenantId');
    expect(problemsOf({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't', MicrosoftAppPassword: 'x' })[0]).toContain('no secret');
    expect(problemsOf({ MicrosoftAppPassword: 'secret' })[0]).toContain('MicrosoftAppId');
    expect(problemsOf({ MicrosoftAppType: 'Anonymous' })[0]).toContain('MicrosoftAppType');
  });

  it('turns authentication on with an app id', () => {
    const c = loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 'tenant' });
    expect(c.authEnabled).toBe(true);
  });

  it('needs the allowed tenants with authentication on: ALLOWED_TENANTS, else MicrosoftAppTenantId', () => {
    const problems = problemsOf({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' });
    expect(problems).toEqual([expect.stringMatching(/^ALLOWED_TENANTS: is required when MicrosoftAppId is set/)]);
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', ALLOWED_TENANTS: ' T1 ,t2,,' }).allowedTenants).toEqual(['t1', 't2']);
    const single = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'Home-Tenant' });
    expect(single.allowedTenants).toEqual(['home-tenant']);
    expect(loadConfig({ MicrosoftAppTenantId: 'home', ALLOWED_TENANTS: 'a,b' }).allowedTenants).toEqual(['a', 'b']);
    expect(problemsOf({ ALLOWED_TENANTS: ' , ' })).toEqual(['ALLOWED_TENANTS: lists no tenant id']);
  });

  it('allows any tenant only with authentication off and nothing set', () => {
    expect(loadConfig({}).allowedTenants).toEqual([]);
    expect(loadConfig({ MicrosoftAppTenantId: 'home' }).allowedTenants).toEqual(['home']);
  });

  it('listens on 127.0.0.1 with authentication off unless HOST is set, on every interface with it on', () => {
    expect(loadConfig({}).listenHost).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).listenHost).toBe('0.0.0.0');
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).listenHost).toBe('0.0.0.0');
  });

  it('takes the token metadata URL and issuer for tests and sovereign clouds', () => {
    const c = loadConfig({ BOT_OPENID_METADATA_URL: 'http://127.0.0.1:1/v1/.well-known/openidconfiguration', BOT_TOKEN_ISSUER: 'https://issuer.example' });
    expect(c.BOT_OPENID_METADATA_URL).toContain('127.0.0.1');
    expect(c.BOT_TOKEN_ISSUER).toBe('https://issuer.example');
    expect(problemsOf({ BOT_OPENID_METADATA_URL: 'not a url' })[0]).toContain('BOT_OPENID_METADATA_URL');
  });

  it('needs a jobs key of at least 32 characters', () => {
    expect(problemsOf({ JOBS_API_KEY: 'k'.repeat(31) })[0]).toContain('at least 32 characters');
    expect(loadConfig({ JOBS_API_KEY: 'k'.repeat(32) }).JOBS_API_KEY).toBe('k'.repeat(32));
  });

  it('never puts a secret value in its message', () => {
    const problems = problemsOf({ JOBS_API_KEY: 'tiny-secret' });
    expect(problems.join(' ')).not.toContain('tiny-secret');
  });
});
