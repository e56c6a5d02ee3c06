// Care Home Huddle on Azure: a user-assigned managed identity is the bot's identity and the app's
// identity for Storage; no secret exists anywhere (shared-key access to Storage is disabled).
@description('Short name used in resource names, e.g. huddle')
param resourceBaseName string
@description('Azure region of every regional resource: UK South unless given. A region outside the UK is refused unless allowOutsideUk is true (the Azure Bot is global and is not affected)')
param location string = 'uksouth'
@description('true only when the owner has decided the data may be held outside the UK')
param allowOutsideUk bool = false
@description('E-mail address the alerts go to (the action group)')
param alertEmail string
@description('RECORDS_RETENTION: how long each records table keeps a finished record, e.g. audit=3650 (empty keeps everything; the owner decides, docs/data-model.md)')
param recordsRetention string = ''
@description('App Service plan SKU; B1 or above supports alwaysOn')
param appServiceSku string = 'B1'
@description('Display name of the bot in Azure')
param botDisplayName string = 'Care Home Huddle'
@description('on = jobs run in process at each area\'s times; off = an external scheduler calls /api/jobs/{job}')
@allowed(['on', 'off'])
param scheduler string = 'on'
@description('Key Vault secret URI holding JOBS_API_KEY (optional; empty leaves the jobs endpoint off)')
param jobsApiKeySecretUri string = ''

var ukRegions = ['uksouth', 'ukwest']
// A deployment outside the UK fails on this location name unless allowOutsideUk says the owner chose it.
var region = contains(ukRegions, toLower(location)) || allowOutsideUk ? location : 'refused-outside-the-UK-set-allowOutsideUk'
var storageName = toLower(take(replace('${resourceBaseName}st${uniqueString(resourceGroup().id)}', '-', ''), 24))
var backupName = toLower(take(replace('${resourceBaseName}bk${uniqueString(resourceGroup().id)}', '-', ''), 24))
var backupContainer = 'table-backups'
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: region
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: region
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, tableDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
  }
}

resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, queueDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributor)
  }
}

// The nightly table backup (the retention job): a separate account, a container the identity alone may write, 35 days kept.
resource backup 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: backupName
  location: region
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    accessTier: 'Cool'
  }
}

resource backupBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: backup
  name: 'default'
}

resource backupTables 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: backupBlobs
  name: backupContainer
  properties: { publicAccess: 'None' }
}

resource backupLifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: backup
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'keep-35-days'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['${backupContainer}/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 35 } } }
          }
        }
      ]
    }
  }
}

// Blob data rights on the backup container only: not the account, not the app's own storage.
resource backupRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(backupTables.id, identity.id, blobDataContributor)
  scope: backupTables
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: region
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-ai'
  location: region
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: region
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: { reserved: true }
}

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: '${resourceBaseName}-app'
  location: region
  kind: 'app,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appCommandLine: 'npm run start:prod'
      healthCheckPath: '/healthz'
      appSettings: [
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'STORAGE_ACCOUNT_URL', value: storage.properties.primaryEndpoints.table }
        { name: 'STORAGE_QUEUE_URL', value: storage.properties.primaryEndpoints.queue }
        { name: 'SCHEDULER', value: scheduler }
        { name: 'JOBS_API_KEY', value: empty(jobsApiKeySecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${jobsApiKeySecretUri})' }
        { name: 'BACKUP_STORAGE_URL', value: backup.properties.primaryEndpoints.blob }
        { name: 'BACKUP_CONTAINER', value: backupContainer }
        { name: 'RECORDS_RETENTION', value: recordsRetention }
        { name: 'LOG_LEVEL', value: 'info' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~20' }
      ]
    }
  }
}

// Diagnostic settings: Storage (the app's tables and queues, the backup's blobs) and App Service to Log Analytics.
var storageLogs = [{ category: 'StorageRead', enabled: true }, { category: 'StorageWrite', enabled: true }, { category: 'StorageDelete', enabled: true }]
var storageMetrics = [{ category: 'Transaction', enabled: true }]

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource storageDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-logs'
  scope: storage
  properties: { workspaceId: logs.id, metrics: storageMetrics }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-logs'
  scope: storageTables
  properties: { workspaceId: logs.id, logs: storageLogs, metrics: storageMetrics }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-logs'
  scope: storageQueues
  properties: { workspaceId: logs.id, logs: storageLogs, metrics: storageMetrics }
}

resource backupDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-logs'
  scope: backupBlobs
  properties: { workspaceId: logs.id, logs: storageLogs, metrics: storageMetrics }
}

resource webDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-logs'
  scope: web
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceAppLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

// Alerts (docs/deploy.md says what to do when each fires), all to one action group.
resource alertGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${resourceBaseName}-alerts'
  location: 'global'
  properties: {
    groupShortName: take('huddle', 12)
    enabled: true
    emailReceivers: [{ name: 'owner', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

var alerts = [
  {
    name: 'missed-job'
    description: 'A scheduled job occurrence was too late to run (JOB.MISSED): a prompt, reminder, summary or digest did not go.'
    severity: 1
    query: 'customEvents | where name == "JOB.MISSED"'
  }
  {
    name: 'poisoned-delivery'
    description: 'A delivery was given up (DELIVERY.POISONED): a message to Teams will not be sent.'
    severity: 2
    query: 'customEvents | where name == "DELIVERY.POISONED"'
  }
  {
    name: 'escalation-nobody-reached'
    description: 'An escalation card reached nobody (ESCALATION.NOT_REACHABLE): no support channel linked, or Teams refused it.'
    severity: 0
    query: 'customEvents | where name == "ESCALATION.NOT_REACHABLE"'
  }
  {
    name: 'http-5xx-rate'
    description: 'More than 5% of requests answered 5xx over 15 minutes (at least 10 requests).'
    severity: 1
    query: 'requests | summarize total = count(), errors = countif(toint(resultCode) >= 500) | where total >= 10 and errors * 100.0 / total > 5'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for a in alerts: {
  name: '${resourceBaseName}-${a.name}'
  location: region
  properties: {
    displayName: '${resourceBaseName}: ${a.name}'
    description: a.description
    severity: a.severity
    enabled: true
    scopes: [insights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: a.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: { actionGroups: [alertGroup.id] }
  }
}]

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: { channelName: 'MsTeamsChannel' }
}

output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = web.properties.defaultHostName
output WEB_APP_NAME string = web.name
output STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.table
output BACKUP_STORAGE_URL string = backup.properties.primaryEndpoints.blob
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = web.id
