metadata description = 'Key Vault holding the data-protection master key that wraps every case data key. RBAC only (no access policies), soft delete and purge protection so that the key cannot be lost by accident.'

@description('Name of the Key Vault (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Name of the app identity; keys the role assignment names so they are known before deployment.')
param appIdentityName string

@description('Principal (object) id of the app identity that reads the master key.')
param appPrincipalId string

@secure()
@description('Master key value to store (base64 of 32 bytes). Empty: leave the secret as it is.')
param masterKey string

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

var masterKeySecretName = 'DataProtection--MasterKey'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

// Written only when a value is supplied, so a later deployment without the key never replaces the one in use.
resource masterKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(masterKey)) {
  parent: vault
  name: masterKeySecretName
  properties: {
    value: masterKey
    contentType: 'application/octet-stream;base64;AES-256 key-wrapping key'
    attributes: {
      enabled: true
    }
  }
}

// Key Vault Secrets User: the app resolves its Key Vault reference with its own identity; it cannot list or change secrets.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentityName, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
@description('Versionless secret URI: the app always reads the current version.')
output masterKeySecretUri string = '${vault.properties.vaultUri}secrets/${masterKeySecretName}'
