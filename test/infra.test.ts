/**
 * No Bicep compiler can run here, so this checks what can be checked: the App Service settings and
 * the code's configuration agree, the parameters match, the Storage account is keyless, and no secret is written down.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const bicep = readFileSync(path.join(root, 'infra/azure.bicep'), 'utf8');
const params = JSON.parse(readFileSync(path.join(root, 'infra/azure.parameters.json'), 'utf8')).parameters as Record<string, unknown>;
const config = readFileSync(path.join(root, 'src/config.ts'), 'utf8');

const appSettings = [...bicep.matchAll(/\{ name: '([A-Za-z0-9_]+)', value:/g)].map((m) => m[1]);
const codeSettings = [...config.slice(config.indexOf('z\n  .object({'), config.indexOf('});')).matchAll(/^\s{4}([A-Za-z][A-Za-z0-9_]*): /gm)].map((m) => m[1]);
/** Read by Azure itself or by @azure/identity, not by src/config.ts. */
const PLATFORM = ['AZURE_CLIENT_ID', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITE_NODE_DEFAULT_VERSION'];
/** Read by the code but right at their defaults in Azure. */
const DEFAULTED = ['PORT', 'MicrosoftAppPassword', 'STORAGE_CONNECTION_STRING', 'TABLE_PREFIX', 'SEND_RATE_PER_SECOND', 'DATA_DIR', 'HELP_CONTACT', 'HOST', 'ALLOWED_TENANTS', 'BOT_OPENID_METADATA_URL', 'BOT_TOKEN_ISSUER', 'UNOWNED_REMINDER_HOURS'];

it('reads the configuration names from src/config.ts', () => {
  expect(codeSettings).toEqual(expect.arrayContaining(['MicrosoftAppId', 'STORAGE_ACCOUNT_URL', 'JOBS_API_KEY', 'SCHEDULER']));
});

it('sets every setting the code needs in Azure, and nothing the code does not read', () => {
  expect(codeSettings.filter((s) => !appSettings.includes(s) && !DEFAULTED.includes(s))).toEqual([]);
  expect(appSettings.filter((s) => !codeSettings.includes(s) && !PLATFORM.includes(s))).toEqual([]);
});

it('runs the bot as the user-assigned managed identity, with no password', () => {
  expect(bicep).toContain("{ name: 'MicrosoftAppType', value: 'UserAssignedMSI' }");
  expect(bicep).toContain("{ name: 'MicrosoftAppId', value: identity.properties.clientId }");
  expect(bicep).toContain("msaAppType: 'UserAssignedMSI'");
  expect(bicep).not.toMatch(/MicrosoftAppPassword|listKeys|AccountKey=/);
});

it('keeps Storage keyless and grants the identity only Table and Queue data roles', () => {
  expect(bicep).toContain('allowSharedKeyAccess: false');
  const roles = [...bicep.matchAll(/var \w+ = '([0-9a-f-]{36})'/g)].map((m) => m[1]);
  expect(roles.sort()).toEqual(['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', '974c5e8b-45b9-4653-ba55-5f855dd0fb88'].sort());
  expect((bicep.match(/Microsoft.Authorization\/roleAssignments/g) ?? []).length).toBe(2);
});

it('is HTTPS only, always on, on Node 20, with the Teams channel', () => {
  expect(bicep).toContain('httpsOnly: true');
  expect(bicep).toContain('alwaysOn: true');
  expect(bicep).toContain("linuxFxVersion: 'NODE|20-lts'");
  expect(bicep).toContain("channelName: 'MsTeamsChannel'");
});

it('has a parameters file that matches the template', () => {
  const declared = [...bicep.matchAll(/^param (\w+) /gm)].map((m) => m[1]);
  const required = [...bicep.matchAll(/^param (\w+) \w+$/gm)].map((m) => m[1]);
  expect(Object.keys(params).filter((p) => !declared.includes(p))).toEqual([]);
  expect(required.filter((p) => !(p in params))).toEqual([]);
});

it('writes no secret down', () => {
  for (const file of ['infra/azure.bicep', 'infra/azure.parameters.json', 'm365agents.yml', '.env.example']) {
    expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/(AccountKey|Password|Secret)\s*[=:]\s*['"]?[A-Za-z0-9+/]{16,}/);
  }
});
