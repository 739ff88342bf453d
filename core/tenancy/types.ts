/** The tenancy model: organizations own services; a service's contract says which plugins it has. */

export interface Organization {
  id: string
  slug: string
  name: string
  createdAt: string
  updatedAt: string
}

/** Per contracted plugin: the values of the plugin's contract features (defaults applied). */
export interface ContractedPlugin {
  features: Record<string, unknown>
}

export interface Contract {
  plugins: Record<string, ContractedPlugin>
}

export interface Service {
  id: string
  orgId: string
  code: string
  name: string
  defaultLanguage: string
  languages: string[]
  timezone: string
  contract: Contract
  createdAt: string
  updatedAt: string
}

/** What a request under `/{org}/{service}` runs against. */
export interface Tenant {
  readonly org: Pick<Organization, 'id' | 'slug' | 'name'>
  readonly service: Service
}
