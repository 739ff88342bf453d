/** The conformance suite on Node: a real @hono/node-server, on each database driver. */
import helloPlugin from '../../examples/hello-plugin/mod.ts'
import ticketPlugin from '../../plugins/ticket/mod.ts'
import { createPlatform } from '../../core/platform.ts'
import { createLogger } from '../../core/log.ts'
import { createOperatorToken } from '../../core/identity/operator-tokens.ts'
import { packageDocsAssets, serveNode } from '../../core/runtime/node.ts'
import { DRIVERS, freshDb } from '../support/databases.ts'
import { httpFetch } from '../support/http.ts'
import { CONFORMANCE_BASE_DOMAIN, CONFORMANCE_BODY_LIMIT, conformanceSuite } from './suite.ts'

for (const driver of DRIVERS) {
  conformanceSuite(`node (${driver})`, async () => {
    const db = await freshDb(driver)
    const platform = createPlatform({
      db,
      plugins: [helloPlugin, ticketPlugin],
      baseDomain: CONFORMANCE_BASE_DOMAIN,
      bodyLimitBytes: CONFORMANCE_BODY_LIMIT,
      docsAssets: packageDocsAssets(),
      outboundAllowlist: ['127.0.0.1'],
      log: createLogger('silent'),
    })
    await platform.start()
    const { token } = await createOperatorToken(db, 'conformance')
    const server = await serveNode(platform, { port: 0, hostname: '127.0.0.1' })
    return {
      fetch: httpFetch(server.url),
      operatorToken: token,
      async close() {
        await server.close()
        await platform.stop()
        await db.close()
      },
    }
  })
}
