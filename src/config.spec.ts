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

  it('needs a jobs key of at least 32 characters', () => {
    expect(problemsOf({ JOBS_API_KEY: 'k'.repeat(31) })[0]).toContain('at least 32 characters');
    expect(loadConfig({ JOBS_API_KEY: 'k'.repeat(32) }).JOBS_API_KEY).toBe('k'.repeat(32));
  });

  it('never puts a secret value in its message', () => {
    const problems = problemsOf({ JOBS_API_KEY: 'tiny-secret' });
    expect(problems.join(' ')).not.toContain('tiny-secret');
  });
});
