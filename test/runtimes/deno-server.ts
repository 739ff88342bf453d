/**
 * The conformance target on Deno, run by `test/conformance/deno.test.ts` as a child process:
 * the platform with the `hello` example plugin (and the ticket plugin it needs) on the PostgreSQL database named by
 * `DATABASE_URL`, served by `Deno.serve` on a free loopback port. Prints one line,
 * `READY <port> <operatorToken>`, once it answers; stops on SIGTERM or SIGINT.
 *
 * The base domain and body limit come from the harness (`OC_BASE_DOMAIN`, `OC_BODY_LIMIT`, set
 * from the suite's constants) because importing `suite.ts` here would load vitest into Deno.
 */
import process from 'node:process'
import helloPlugin from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { createPlatform } from '../../core/platform.ts'
import { createLogger } from '../../core/log.ts'
import { createOperatorToken } from '../../core/identity/operator-tokens.ts'
import { postgresDb } from '../../core/storage/postgres.ts'
import { packageDocsAssets } from '../../core/runtime/node.ts'
import { denoRuntime, serveDeno } from '../../core/runtime/deno.ts'

const { DATABASE_URL: url, OC_BASE_DOMAIN: baseDomain, OC_BODY_LIMIT: bodyLimit } = process.env
if (!url || !baseDomain || !bodyLimit) {
  console.error('deno-server: set DATABASE_URL, OC_BASE_DOMAIN and OC_BODY_LIMIT')
  process.exit(2)
}

const db = postgresDb(url)
const platform = createPlatform({
  db,
  plugins: [ticket, helloPlugin],
  baseDomain,
  bodyLimitBytes: Number(bodyLimit),
  docsAssets: packageDocsAssets(),
  outboundAllowlist: ['127.0.0.1'],
  runtime: denoRuntime,
  log: createLogger('error'),
})
await platform.start()
const { token } = await createOperatorToken(db, 'conformance')
const server = await serveDeno(platform, { port: 0, hostname: '127.0.0.1' })
console.log(`READY ${server.port} ${token}`)

const stop = async () => {
  await server.close()
  await platform.stop()
  await db.close()
  process.exit(0)
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
