/**
 * `opencontact`: serve the platform, run migrations, and bootstrap operators, organizations,
 * services and contracts from the command line.
 *
 *   opencontact serve [--port 3000] [--host 0.0.0.0] [--demo] [--plugin path.ts ...]
 *   opencontact migrate
 *   opencontact operator-token create [--name NAME]
 *   opencontact org create <slug> [--name NAME]
 *   opencontact service create <org> <code> [--name NAME] [--languages ko,en] [--default-language ko] [--timezone Asia/Seoul]
 *   opencontact contract set <org> <service> (--plugins a,b | --json '{"plugins":{...}}')
 *   opencontact plugins
 *   opencontact keys generate | keys rotate
 */
import { parseArgs } from 'node:util'
import { CORE_REFS, type Platform } from '../core/platform.ts'
import { registerPlugins } from '../core/plugin/registry.ts'
import { createOperatorToken, countOperatorTokens } from '../core/identity/operator-tokens.ts'
import { loadPlugins } from './plugins.ts'
import { bootstrap } from './bootstrap.ts'
import { demo } from './demo.ts'
import { platformFromEnvironment } from './environment.ts'
import { keysCommand } from './keys.ts'

const HELP = `usage: opencontact <command>

  serve [--port N] [--host H] [--demo] [--plugin FILE]   run the server (PGlite in ./.opencontact unless DATABASE_URL is set)
  migrate                                                apply pending migrations
  operator-token create [--name NAME]                    create an operator token (shown once)
  org create <slug> [--name NAME]                        create an organization
  service create <org> <code> [--name NAME] [--languages ko,en] [--default-language ko] [--timezone Asia/Seoul]
  contract set <org> <service> (--plugins a,b | --json JSON)
  plugins                                                list installed plugins
  keys generate                                          print a new master key for OC_MASTER_KEYS
  keys rotate                                            run every re-sealing job now (core and plugins)
                                                         (the ticket plugin also does it every 10 minutes in the background)

environment: DATABASE_URL (DATABASE_DIRECT_URL when it is a transaction pooler's), OC_DATA_DIR, PORT, HOST, OC_BASE_DOMAIN, OC_PLUGINS, OC_LOG_LEVEL, OC_BODY_LIMIT,
  OC_MASTER_KEYS (or OC_MASTER_KEY, OC_MASTER_KEYS_FILE), OC_JWT_SECRET, OC_TRUSTED_PROXIES, OC_SMTP_URL, OC_MAIL_FROM,
  OC_OUTBOUND_ALLOWLIST

The embedded database (PGlite) is locked by the process that opens it: while a server runs on it,
other commands on the same OC_DATA_DIR are refused; stop the server first (or use DATABASE_URL).`

const DATABASE_COMMANDS = new Set(['serve', 'migrate', 'keys', 'operator-token', 'org', 'service', 'contract'])

const runtime = typeof (globalThis as { Deno?: unknown }).Deno === 'undefined' ? 'node' : 'deno'

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean' },
      plugin: { type: 'string', multiple: true },
      name: { type: 'string' },
      languages: { type: 'string' },
      'default-language': { type: 'string' },
      timezone: { type: 'string' },
      plugins: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, ...rest] = positionals
  if (!command || values.help) {
    console.log(HELP)
    return command ? 0 : 1
  }
  const env = process.env
  const plugins = await loadPlugins(values.plugin ?? [], env)
  // Commands that need no database never open (and lock) the embedded one.
  if (command === 'plugins') {
    for (const p of registerPlugins(plugins, CORE_REFS)) console.log(`${p.id}@${p.version}${p.dependsOn?.length ? ` (needs ${p.dependsOn.join(', ')})` : ''}`)
    return 0
  }
  if (command === 'keys' && rest[0] === 'generate') {
    console.log((await keysCommand(undefined, 'generate')).text)
    return 0
  }
  if (!DATABASE_COMMANDS.has(command)) {
    console.error(`unknown command '${command}'\n\n${HELP}`)
    return 1
  }
  const { platform, keyring, close } = await platformFromEnvironment(env, plugins, [command, ...rest].join(' '))

  try {
    switch (command) {
      case 'serve':
        return await serve(platform, values, env, close)
      case 'migrate': {
        const applied = await platform.migrate()
        console.log(applied.length ? `applied ${applied.length} migrations:\n  ${applied.join('\n  ')}` : 'the database is up to date')
        break
      }
      case 'keys': {
        const outcome = await keysCommand(platform, rest[0], keyring)
        console.log(outcome.text)
        if (!outcome.ok) return 1
        break
      }
      case 'operator-token':
      case 'org':
      case 'service':
      case 'contract': {
        await platform.migrate()
        console.log(await bootstrap(platform, command, rest, values))
        break
      }
      default:
        console.error(`unknown command '${command}'\n\n${HELP}`)
        return 1
    }
  } finally {
    if (command !== 'serve') await close()
  }
  return 0
}

async function serve(platform: Platform, values: { port?: string; host?: string; demo?: boolean }, env: Record<string, string | undefined>, close: () => Promise<void>): Promise<number> {
  await platform.start()
  const port = Number(values.port ?? env.PORT ?? 3000)
  const hostname = values.host ?? env.HOST ?? '0.0.0.0'
  const server =
    runtime === 'deno'
      ? await (await import('../core/runtime/deno.ts')).serveDeno(platform, { port, hostname })
      : await (await import('../core/runtime/node.ts')).serveNode(platform, { port, hostname })

  // The address the socket is bound to (port 0 shows the port picked), and where to open it.
  const listening = server.everyInterface ? `${server.boundUrl} (every interface; from this machine ${server.url})` : server.url
  const lines = [`OpenContact is listening on ${listening} (${runtime}, ${platform.db.driver})`, `  API docs:  ${server.url}/docs`, `  OpenAPI:   ${server.url}/openapi.json`]
  if ((await countOperatorTokens(platform.db)) === 0) {
    const { token } = await createOperatorToken(platform.db, 'first operator')
    lines.push('', 'This is a new database. Your operator token (shown once, keep it safe):', `  ${token}`, '', 'Create an organization and a service with every installed plugin contracted:', `  curl -X POST ${server.url}/operator/v1/organizations -H 'authorization: Bearer ${token}' -H 'content-type: application/json' -d '{"slug":"acme","name":"Acme"}'`, `  curl -X POST ${server.url}/operator/v1/organizations/acme/services -H 'authorization: Bearer ${token}' -H 'content-type: application/json' -d '${JSON.stringify({ code: 'support', name: 'Support', contract: { plugins: Object.fromEntries(platform.plugins.map((p) => [p.id, {}])) } })}'`)
  }
  if (values.demo) lines.push('', await demo(platform, server.url))
  console.log(lines.join('\n'))

  const shutdown = async () => {
    await server.close()
    await close()
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  return await new Promise<number>(() => {})
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`opencontact: ${error.message}`)
    process.exit(1)
  },
)
