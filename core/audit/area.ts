/** The audit area: lists the trail of changes per service and per organization (C15). */
import type { CoreAreaFactory } from '../area.ts'
import { registerOrgAuditRoutes, registerServiceAuditRoutes } from './routes.ts'

export const auditArea: CoreAreaFactory = ({ db }) => ({
  id: 'audit',
  serviceRoutes: registerServiceAuditRoutes,
  orgRoutes: (app) => registerOrgAuditRoutes(app, db),
})
