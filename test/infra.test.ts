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
const DEFAULTED = ['PORT', 'MicrosoftAppPassword', 'STORAGE_CONNECTION_STRING', 'TABLE_PREFIX', 'SEND_RATE_PER_SECOND', 'DATA_DIR', 'HELP_CONTACT', 'HOST', 'ALLOWED_TENANTS', 'BOT_OPENID_METADATA_URL', 'BOT_TOKEN_ISSUER', 'UNOWNED_REMINDER_HOURS', 'BACKUP_CONNECTION_STRING'];

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

it('keeps Storage keyless and grants the identity only Table and Queue data roles, and Blob on the backup container alone', () => {
  expect(bicep.match(/allowSharedKeyAccess: false/g)?.length).toBe(2);
  const roles = [...bicep.matchAll(/var \w+ = '([0-9a-f-]{36})'/g)].map((m) => m[1]);
  expect(roles.sort()).toEqual(['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'].sort());
  const assignments = [...bicep.matchAll(/resource \w+ 'Microsoft.Authorization\/roleAssignments@[^']+' = \{[^]*?scope: (\w+)[^]*?roleDefinitionId: [^\n]*?, (\w+)\)/g)].map((m) => [m[1], m[2]]);
  expect(assignments).toEqual([['storage', 'tableDataContributor'], ['storage', 'queueDataContributor'], ['backupTables', 'blobDataContributor']]);
  expect(bicep).toMatch(/resource backupTables 'Microsoft.Storage\/storageAccounts\/blobServices\/containers@[^']+' = \{\n  parent: backupBlobs/);
});

it('backs up to a separate account whose lifecycle rule keeps 35 days, and tells the app where', () => {
  expect(bicep).toMatch(/resource backup 'Microsoft.Storage\/storageAccounts@[^']+' = \{\n  name: backupName/);
  expect(bicep).toContain("var backupName = toLower(take(replace('${resourceBaseName}bk");
  expect(bicep).toContain('actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 35 } } }');
  expect(bicep).toContain("prefixMatch: ['${backupContainer}/']");
  expect(bicep).toContain("{ name: 'BACKUP_STORAGE_URL', value: backup.properties.primaryEndpoints.blob }");
  expect(bicep).toContain("{ name: 'BACKUP_CONTAINER', value: backupContainer }");
});

it("points App Service's health check at /healthz", () => {
  expect(bicep).toContain("healthCheckPath: '/healthz'");
});

it('defaults to UK South and refuses a region outside the UK unless overridden; only the Bot and the action group are global', () => {
  expect(bicep).toContain("param location string = 'uksouth'");
  expect(bicep).toContain('param allowOutsideUk bool = false');
  expect(bicep).toContain("var ukRegions = ['uksouth', 'ukwest']");
  expect(bicep).toMatch(/var region = contains\(ukRegions, toLower\(location\)\) \|\| allowOutsideUk \? location : '[^']+'/);
  const locations = [...bicep.matchAll(/^\s+location: (.+)$/gm)].map((m) => m[1]);
  expect(locations.filter((l) => l !== 'region').sort()).toEqual(["'global'", "'global'", "'global'"]);
  const globals = [...bicep.matchAll(/resource \w+ '([^@]+)@[^']+' = (?:\[for [^\]]+\]: )?\{\n(?:  [^\n]*\n)*?  location: 'global'/g)].map((m) => m[1]);
  expect(globals.sort()).toEqual(['Microsoft.BotService/botServices', 'Microsoft.BotService/botServices/channels', 'Microsoft.Insights/actionGroups'].sort());
  expect(params.location).toEqual({ value: 'uksouth' });
});

it('sends Storage and App Service diagnostics to Log Analytics', () => {
  const scopes = [...bicep.matchAll(/resource \w+ 'Microsoft.Insights\/diagnosticSettings@[^']+' = \{\n  name: '[^']+'\n  scope: (\w+)/g)].map((m) => m[1]);
  expect(scopes.sort()).toEqual(['backupBlobs', 'storage', 'storageQueues', 'storageTables', 'web'].sort());
  expect(bicep).toContain("{ category: 'AppServiceHTTPLogs', enabled: true }");
  expect(bicep).toContain("{ category: 'StorageWrite', enabled: true }");
  expect(bicep.match(/workspaceId: logs.id/g)?.length).toBe(5);
});

it('alerts on a missed job, a poisoned delivery, an escalation that reached nobody and the 5xx rate, to an e-mail given as a parameter', () => {
  expect(bicep).toMatch(/^param alertEmail string$/m);
  expect(bicep).toContain("emailReceivers: [{ name: 'owner', emailAddress: alertEmail, useCommonAlertSchema: true }]");
  const names = [...bicep.matchAll(/^    name: '([a-z0-9-]+)'\n    description: /gm)].map((m) => m[1]);
  expect(names).toEqual(['missed-job', 'poisoned-delivery', 'escalation-nobody-reached', 'http-5xx-rate']);
  for (const event of ['JOB.MISSED', 'DELIVERY.POISONED', 'ESCALATION.NOT_REACHABLE']) expect(bicep).toContain(`query: 'customEvents | where name == "${event}"'`);
  expect(bicep).toContain('countif(toint(resultCode) >= 500)');
  expect(bicep).toContain("resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for a in alerts: {");
  expect(bicep).toContain('actions: { actionGroups: [alertGroup.id] }');
  expect(bicep).toContain('scopes: [insights.id]');
  // the events alerted on are the ones the code sends
  const telemetry = readFileSync(path.join(root, 'src/telemetry/index.ts'), 'utf8');
  for (const event of ['JOB.MISSED', 'DELIVERY.POISONED', 'ESCALATION.NOT_REACHABLE']) expect(telemetry).toContain(`'${event}'`);
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
  expect(required).toContain('alertEmail');
  expect(Object.keys(params).filter((p) => !declared.includes(p))).toEqual([]);
  expect(required.filter((p) => !(p in params))).toEqual([]);
});

it('writes no secret down', () => {
  for (const file of ['infra/azure.bicep', 'infra/azure.parameters.json', 'm365agents.yml', '.env.example']) {
    expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/(AccountKey|Password|Secret)\s*[=:]\s*['"]?[A-Za-z0-9+/]{16,}/);
  }
});
