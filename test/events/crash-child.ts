/**
 * The process the crash test kills: a platform on PostgreSQL delivering web hooks in the
 * background while it writes `relay.pinged` events as fast as it can, a few per transaction,
 * until it receives SIGKILL. Prints `ready` once its dispatcher runs.
 *
 * Environment: DATABASE_URL; ORG_ID and SERVICE_ID of the service to write to; WRITE=0 to only
 * deliver (the last run, which finishes what the killed ones left).
 */
import { createPlatform } from '../../core/platform.ts'
import { postgresDb } from '../../core/storage/postgres.ts'
import { createLogger } from '../../core/log.ts'
import { tenantDb } from '../../core/storage/tenant-db.ts'
import { relayPlugin, RelayPinged } from '../support/relay-plugin.ts'
import { eventOptions } from '../support/events.ts'

const env = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

const db = postgresDb(env('DATABASE_URL'), { max: 8 })
const platform = createPlatform({
  db,
  plugins: [relayPlugin()],
  log: createLogger('error'),
  migrateOnStart: false,
  // A lease outlives nothing here: whatever a killed run held comes due again within 1.5 s.
  ...eventOptions({ outboundAllowlist: ['127.0.0.1'], events: { leaseMs: 1_500, sweepIntervalMs: 250, backoffBaseMs: 50, backoffMaxMs: 500, maxAttempts: 100 } }),
})
await platform.start()
console.log('ready')

if (process.env.WRITE !== '0') {
  const tenant = tenantDb(db, { orgId: env('ORG_ID'), serviceId: env('SERVICE_ID') }, new Map([['relay.pinged', RelayPinged]]))
  for (let n = 0; ; n++) {
    await tenant.tx(async (tx) => {
      for (let i = 0; i < 5; i++) await tx.emit('relay.pinged', { n: n * 5 + i })
    })
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}
