/** How field definitions are shown: the read model, and which agent fields a caller may see. */
import type { Principal } from '../../../core/mod.ts'
import type { FieldView } from './schemas.ts'
import { SYSTEM_FIELD_BY_CODE } from './system-fields.ts'
import type { FieldDefinition } from './types.ts'

export function fieldView(field: FieldDefinition): FieldView {
  const spec = field.system ? SYSTEM_FIELD_BY_CODE.get(field.code) : undefined
  return {
    id: field.id,
    code: field.code,
    audience: field.audience,
    type: field.type,
    system: field.system,
    optionSource: field.optionSource,
    names: field.names,
    descriptions: field.descriptions,
    placeholders: field.placeholders,
    required: field.required,
    requiredLocked: spec?.requiredLocked ?? false,
    personalInfo: field.personalInfo,
    visibility: field.visibility,
    details: field.details as Record<string, unknown>,
    position: field.position,
    createdAt: field.createdAt,
    updatedAt: field.updatedAt,
  }
}

/** Administrators (and operators) see agent fields marked admins-only; agents and service keys do not. */
export function seesAdminOnlyFields(principal: Principal): boolean {
  switch (principal.kind) {
    case 'operator':
      return true
    case 'member':
      return principal.orgRole === 'owner' || principal.agent?.role === 'admin'
    case 'service-key':
    case 'anonymous':
      return false
    default: {
      const unreachable: never = principal
      return unreachable
    }
  }
}

/** Whether `principal` may see `field` at all. */
export const canSeeField = (principal: Principal, field: FieldDefinition) => field.visibility !== 'admins' || seesAdminOnlyFields(principal)
