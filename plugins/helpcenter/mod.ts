/**
 * The help-center plugin (W1–W9): the customer pages of each service at `/{service}/hc`, their
 * tenant themes, notices and FAQ, the inquiry form and member sign-in, on the public core API and
 * the ticket plugin's tickets service only. This declaration is the plugin's whole shape on one screen.
 */
import { definePlugin } from '../../core/mod.ts'
import { ticketsRef } from '../ticket/api.ts'
import { helpCenterMigrations } from './migrations.ts'
import { HelpCenterSettings } from './settings.ts'
import { registerHelpCenterRoutes } from './routes/index.ts'
import { helpCenterMount, remoteApiMount } from './visitors/mount.ts'
import { registerFileDownload } from './files/routes.ts'
import { menuItems, pageSlots } from './api.ts'
import { contentMounts } from './content/compat/routes.ts'
import { themeAssetsMount } from './themes/assets-mount.ts'
import { registerPageRoutes } from './pages/routes.ts'
import { registerInquiryRoutes } from './pages/routes-inquiry.ts'
import { forgetPageState, pageStates } from './pages/page-state.ts'
import { readCountsOf } from './pages/read-counts.ts'

export default definePlugin({
  id: 'helpcenter',
  version: '1.0.0',
  core: '^1',
  dependsOn: ['ticket'],
  description: 'Customer help center: pages, themes, notices, FAQ, inquiries and member sign-in.',
  // Inquiries become tickets through the ticket plugin's tickets service, never its tables.
  uses: { tickets: ticketsRef },
  permissions: { helpcenter: { title: { ko: '헬프센터 관리', en: 'Manage the help center' } } },
  settings: HelpCenterSettings,
  migrations: helpCenterMigrations,
  routes: registerHelpCenterRoutes,
  // Visitor-facing groups: /hc (the visitor middleware first, then each area's pages and files), theme CSS
  // and script at /hc/assets/…, the seed product's /api/v2 sign-in and its public content calls
  // (notice, helpdoc, service.json) under /api/v2.
  mounts: [helpCenterMount(registerFileDownload, registerPageRoutes, registerInquiryRoutes), themeAssetsMount, remoteApiMount, ...contentMounts],
  extensionPoints: [pageSlots, menuItems],
  // The page state listens for page changes from boot; the pages' read counts are written every
  // few seconds and once more on shutdown.
  onBoot: async (ctx) => {
    await pageStates(ctx.db).start()
    readCountsOf(ctx).start()
  },
  onShutdown: (ctx) => readCountsOf(ctx).stop(),
  // This instance's pages show a settings save on the next request (other instances: the NOTIFY).
  onSettingsSaved: ({ serviceId }) => forgetPageState(serviceId),
})
