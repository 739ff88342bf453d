import { secret, z } from 'opencontact'

/** Per-service settings: validated on write, published as JSON Schema, the secret never read back. */
export const HelloSettings = z.object({
  greeting: z.string().min(1).max(50).default('Hello'),
  punctuation: z.enum(['!', '.', '~']).default('!'),
  /** A secret: accepted on write, reported only as "set". */
  signingKey: secret(z.string().min(8)).optional(),
})
export type HelloSettings = z.infer<typeof HelloSettings>
