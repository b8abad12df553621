metadata description = 'Helsingborg support-case workflow: Durable Functions app on Flex Consumption with identity-only access to storage, Key Vault and Application Insights. Deploy with `azd up`; see infra/README.md.'

targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@minLength(36)
@maxLength(36)
@description('Application (client) id of the Entra app registration staff sign in to (app roles Coordinator, Statistics, Admin).')
param entraClientId string

@description('Entra tenant of the app registration. Defaults to the tenant of the subscription.')
param entraTenantId string = subscription().tenantId

@description('Token claim that carries the organisation (partner id from the glossary) of a staff member.')
param organisationClaim string = 'extn.organisation'

@description('Always-ready instances for the durable group (orchestrations, activities, entities).')
@minValue(0)
@maxValue(10)
param alwaysReadyDurableInstances int = 1

@description('Maximum instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per function app instance, MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Partner API keys, hashes only: [{ id, sha256 (hex SHA-256 of the key), organisation (partner id), roles: [\'partner\'] }]. See infra/README.md.')
param partnerApiKeys array = []

@description('Storage redundancy for the runtime, task hub and case data.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_ZRS'

@description('Days Log Analytics keeps telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 90

@minLength(1)
@description('City profile the app runs: a built-in profile (profiles/<name>.json, e.g. helsingborg, exempelstad) or none. App setting City__Profile. See infra/README.md.')
param cityProfile string = 'helsingborg'

@description('App settings over the city profile, setting name to value, e.g. { "City__Contact__Email": "..." }. Names must start with City__, CasePolicy__ or Outreach__ (not City__Profile); any other name stops the deployment. No secrets: the values are plain deployment parameters.')
param citySettings object = {}

var tags = {
  'azd-env-name': environmentName
  workload: 'helsingborg-cases'
}
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var identityName = 'id-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
    retentionInDays: logRetentionInDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
    softDeleteRetentionInDays: 90
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    masterKeyId: keyVault.outputs.masterKeyId
    entraClientId: entraClientId
    entraTenantId: entraTenantId
    organisationClaim: organisationClaim
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    partnerApiKeys: partnerApiKeys
    cityProfile: cityProfile
    citySettings: citySettings
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_APP_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
