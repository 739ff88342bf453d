/** The audit area: lists the trail of changes per service and per organization (C15). */
import type { CoreAreaFactory } from '../area.ts'

export const auditArea: CoreAreaFactory = () => ({ id: 'audit' })
