/** Remembered verification (`verified`): a verified token is answered from memory until it expires, never after. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { accessTokens } from './access-tokens.ts'

const settings = { issuer: 'https://oc.test', audience: 'opencontact', lifetimeSeconds: 60 }
const subject = { memberId: crypto.randomUUID(), orgId: crypto.randomUUID(), sessionId: crypto.randomUUID() }

describe('access token verification, remembered', () => {
  afterEach(() => vi.useRealTimers())

  it('verifies a token once, then answers its claims without a promise', async () => {
    const tokens = accessTokens(new TextEncoder().encode('a secret of the platform, long enough'), settings)
    const { token } = await tokens.issue(subject)
    const first = tokens.verified(token)
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toMatchObject(subject)
    expect(tokens.verified(token)).toMatchObject(subject)
  })

  it('refuses a remembered token once it has expired, and never remembers a refused one', async () => {
    const tokens = accessTokens(new TextEncoder().encode('a secret of the platform, long enough'), settings)
    const { token } = await tokens.issue(subject)
    await tokens.verified(token)
    vi.useFakeTimers({ now: Date.now() + 10 * 60_000, toFake: ['Date'] })
    const late = tokens.verified(token)
    expect(late).toBeInstanceOf(Promise)
    await expect(late).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/expired/) })
    vi.useRealTimers()
    const other = accessTokens(new TextEncoder().encode('another secret, just as long as that'), settings)
    await expect(other.verified(token)).rejects.toMatchObject({ status: 401 })
    await expect(other.verified(token)).rejects.toMatchObject({ status: 401 })
  })
})
