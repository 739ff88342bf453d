/** The settings area: per-service plugin settings over the API (C9). */
import type { CoreAreaFactory } from '../area.ts'
import { registerSettingsRoutes } from './routes.ts'

export const settingsArea: CoreAreaFactory = ({ installed }) => ({
  id: 'settings',
  serviceRoutes: (app) => registerSettingsRoutes(app, installed),
})
