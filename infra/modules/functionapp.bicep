metadata description = 'The Flex Consumption function app: .NET 10 isolated worker, identity-based connections only, App Service Authentication with Microsoft Entra ID for staff.'

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of the user-assigned identity the app runs as.')
param identityClientId string

@description('Name of the storage account for the runtime, the task hub and case data.')
param storageAccountName string

@description('Blob endpoint of the storage account.')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('URL of the blob container Flex Consumption deploys the package to.')
param deploymentContainerUrl string

@description('Application Insights connection string (an endpoint and component id; ingestion needs an Entra token).')
param applicationInsightsConnectionString string

@description('Versionless id of the Key Vault key that wraps case data keys (the master key).')
param masterKeyId string

@description('Application (client) id of the Entra app registration staff sign in to.')
param entraClientId string

@description('Entra tenant of the app registration.')
param entraTenantId string

@description('Claim in the Entra token that carries the staff member\'s organisation.')
param organisationClaim string

@description('Always-ready instances for the durable group (orchestrators, activities, entities).')
@minValue(0)
param alwaysReadyDurableInstances int

@description('Maximum instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Partner API keys as { id, sha256, organisation, roles[] }: the SHA-256 hex of each key, never the key.')
param partnerApiKeys array

@description('City profile the app runs (app setting City__Profile).')
param cityProfile string

@description('App settings over the city profile, setting name to value; only names in the profile\'s sections City__, CasePolicy__ and Outreach__.')
param citySettings object

@description('Memory per instance, MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

var baseAppSettings = [
  // Functions runtime and Durable Functions (host.json: storageProvider AzureStorage, connectionName AzureWebJobsStorage).
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  // The app's own case tables and blobs (same account, same identity). See infra/README.md.
  { name: 'CaseStorage__blobServiceUri', value: blobEndpoint }
  { name: 'CaseStorage__tableServiceUri', value: tableEndpoint }
  { name: 'CaseStorage__credential', value: 'managedidentity' }
  { name: 'CaseStorage__clientId', value: identityClientId }
  // DefaultAzureCredential and the Azure SDK pick the user-assigned identity from here.
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'AZURE_FUNCTIONS_ENVIRONMENT', value: 'Production' }
  // The master key stays in Key Vault: the app wraps and unwraps data keys there with the identity. No key material here.
  { name: 'DataProtection__KeyVaultKeyId', value: masterKeyId }
  { name: 'DataProtection__clientId', value: identityClientId }
  // Safe only because App Service Authentication (below) is enabled: it removes any X-MS-CLIENT-PRINCIPAL header a caller sends.
  { name: 'Auth__TrustAppServicePrincipal', value: 'true' }
  { name: 'Auth__OrganisationClaim', value: organisationClaim }
  // App Service Authentication signs in with the app identity as a federated credential instead of a client secret.
  { name: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID', value: identityClientId }
  { name: 'WEBSITE_AUTH_AAD_ALLOWED_TENANTS', value: entraTenantId }
  // The city profile (profiles/<name>.json) the app loads as its lowest configuration layer.
  { name: 'City__Profile', value: cityProfile }
]

// Partner API keys (api.md): SHA-256 hashes only, flattened to ApiKeys__{n}__Id, __Sha256, __Organisation, __Roles__{r}.
// They come from a parameter so that `azd provision`, which replaces all app settings, keeps them.
var partnerKeySettings = flatten(map(range(0, length(partnerApiKeys)), i => concat(
  [
    { name: 'ApiKeys__${i}__Id', value: partnerApiKeys[i].id }
    { name: 'ApiKeys__${i}__Sha256', value: toLower(partnerApiKeys[i].sha256) }
    { name: 'ApiKeys__${i}__Organisation', value: partnerApiKeys[i].organisation }
  ],
  map(range(0, length(partnerApiKeys[i].roles)), r => { name: 'ApiKeys__${i}__Roles__${r}', value: partnerApiKeys[i].roles[r] })
)))

// City settings override single values of the city profile, one app setting each (name = key, value as text).
// Only names in the profile's own sections are taken, so that citySettings can never replace a setting above (identity,
// Key Vault, Auth__, AZURE_FUNCTIONS_ENVIRONMENT, ApiKeys__); City__Profile comes from cityProfile alone. Any other
// name stops the deployment before the app is changed, with an error naming it. startsWith and =~ ignore case, as the
// app's configuration keys do.
var citySettingSections = [
  'City__'
  'CasePolicy__'
  'Outreach__'
]
var citySettingList = map(items(citySettings), s => {
  name: !(s.key =~ 'City__Profile') && length(filter(citySettingSections, section => startsWith(s.key, section))) > 0
    ? s.key
    : fail('citySettings: "${s.key}" is not allowed. A city setting must start with City__, CasePolicy__ or Outreach__ and must not be City__Profile (use cityProfile); see infra/README.md.')
  value: string(s.value)
})

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    // No app setting is a Key Vault reference; this names the identity for one set by hand while an old deployment's data
    // keys are moved off the former master-key secret (infra/README.md, Master key).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseAppSettings, partnerKeySettings, citySettingList)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // Durable triggers share the "durable" per-function scaling group; keeping it warm keeps timers and reminders on time.
        alwaysReady: [
          {
            name: 'durable'
            instanceCount: alwaysReadyDurableInstances
          }
        ]
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// No FTP or SCM basic-auth deployments: azd and CI deploy with Entra tokens.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// App Service Authentication with Microsoft Entra ID.
// unauthenticatedClientAction is AllowAnonymous on purpose: the platform signs staff in and passes their
// principal (X-MS-CLIENT-PRINCIPAL) to the app, but it does not turn anonymous requests away, because partners
// call POST /api/intake and open the /intake form with an X-Api-Key and no Entra session, and /api/health and
// /api/openapi.json are public. The app enforces the roles of api.md itself on every route (401/403).
// The platform strips any client-sent principal header, which is what makes Auth__TrustAppServicePrincipal safe.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${entraClientId}'
            entraClientId
          ]
        }
      }
    }
    login: {
      // Flex Consumption has no file share for a token store, and the app needs no downstream tokens.
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
