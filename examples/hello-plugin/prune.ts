/**
 * A job: once a day, each service that contracts the plugin drops greetings older than its
 * `retentionDays` setting, in a transaction of its own under its row-level security (never one
 * query over every tenant's rows as the owner).
 */
import type { Job, JobTick } from 'opencontact'
import type { HelloContext } from './context.ts'

export const pruneGreetings: Job<HelloContext> = {
  id: 'prune-greetings',
  cron: '0 40 4 * * *',
  async run(ctx: HelloContext, tick: JobTick) {
    let pruned = 0
    for await (const service of ctx.contractedServices()) {
      if (tick.signal.aborted) break
      pruned += await service.db.tx(async (tx) => {
        const { retentionDays } = await ctx.settings(tx)
        const gone = await tx.sql`DELETE FROM hello_greetings WHERE created_at < now() - make_interval(days => ${retentionDays}) RETURNING id`
        return gone.length
      })
    }
    return `pruned ${pruned} greetings`
  },
}
