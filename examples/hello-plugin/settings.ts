import { secret, z } from 'opencontact'

/** Per-service settings: validated on write, published as JSON Schema, the secret never read back. */
export const HelloSettings = z.object({
  greeting: z.string().min(1).max(50).default('Hello'),
  punctuation: z.enum(['!', '.', '~']).default('!'),
  /** Greetings older than this are pruned by the daily job (prune.ts). */
  retentionDays: z.number().int().min(1).max(3650).default(365),
  /** A secret: accepted on write, reported only as "set". */
  signingKey: secret(z.string().min(8)).optional(),
})
export type HelloSettings = z.infer<typeof HelloSettings>
