metadata description = 'Key Vault holding the data-protection master key, an RSA key that wraps and unwraps every case data key inside the vault. RBAC only (no access policies), soft delete and purge protection so that the key cannot be lost by accident; the app identity may only wrap and unwrap with it.'

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

@description('Principal (object) id of the app identity that wraps and unwraps data keys with the master key.')
param appPrincipalId string

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

var masterKeyName = 'case-data-keys'

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

// The master key. Created by the first deployment only: Key Vault's ARM operation creates a key that does not exist
// and leaves an existing one as it is, so a later deployment never adds a version (rotation is an operator's step,
// infra/README.md). Its private part never leaves the vault; the app sends data keys to wrap and unwrap.
resource masterKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  parent: vault
  name: masterKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
    }
  }
}

// Key Vault Crypto Service Encryption User, on the key alone, not the vault. Its data actions are keys/read,
// keys/wrap/action and keys/unwrap/action: the identity reads the key's metadata (its current version) and wraps and
// unwraps. It cannot read a secret, decrypt, sign, export, rotate or delete.
resource wrapUnwrap 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(masterKey.id, appIdentityName, 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
  scope: masterKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
@description('Versionless key id of the master key: the app wraps new data keys with its current version.')
output masterKeyId string = masterKey.properties.keyUri
