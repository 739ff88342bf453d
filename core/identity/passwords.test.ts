/** Password hashing: the stored format, verification, rehash decisions and the production work factor. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_PASSWORD_ITERATIONS, hashIterations, hashPassword, needsRehash, verifyPassword } from './passwords.ts'

describe('password hashes', () => {
  it('store their parameters and a per-user salt', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse', 1_000), hashPassword('correct horse', 1_000)])
    expect(a).toMatch(/^\$pbkdf2-sha256\$i=1000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(a).not.toBe(b)
    expect(hashIterations(a)).toBe(1_000)
  })

  it('verify the right password only', async () => {
    const stored = await hashPassword('correct horse', 1_000)
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('correct horsf', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
    // Unicode is normalized: the composed and decomposed forms of 'é' are one password.
    const accented = await hashPassword('caf\u00e9', 1_000)
    expect(await verifyPassword('cafe\u0301', accented)).toBe(true)
  })

  it('match the published PBKDF2-HMAC-SHA256 vector (P=password, S=salt, c=4096)', async () => {
    const b64 = (hex: string) => btoa(String.fromCharCode(...hex.match(/../g)!.map((h) => parseInt(h, 16)))).replace(/=+$/, '')
    const salt = btoa('salt').replace(/=+$/, '')
    const vector = b64('c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a')
    expect(await verifyPassword('password', `$pbkdf2-sha256$i=4096$${salt}$${vector}`)).toBe(true)
    expect(await verifyPassword('password', `$pbkdf2-sha256$i=4097$${salt}$${vector}`)).toBe(false)
  })

  it('refuse malformed and absurd stored hashes instead of running them', async () => {
    for (const bad of ['', 'plain', '$pbkdf2-sha256$i=999$c2FsdA$AAAA', '$pbkdf2-sha256$i=99999999$c2FsdA$' + 'A'.repeat(43), '$bcrypt$x']) {
      expect(await verifyPassword('x', bad)).toBe(false)
      expect(needsRehash(bad, 1_000)).toBe(true)
    }
  })

  it('ask for a rehash only below the current work factor', async () => {
    const stored = await hashPassword('pw-pw-pw-pw', 1_000)
    expect(needsRehash(stored, 1_000)).toBe(false)
    expect(needsRehash(stored, 999)).toBe(false)
    expect(needsRehash(stored, 2_000)).toBe(true)
  })

  it('refuse a work factor below the floor', async () => {
    await expect(hashPassword('pw', 10)).rejects.toThrow(/iterations must be an integer from 1000/)
  })

  it('use 600,000 iterations by default (the production setting)', async () => {
    expect(DEFAULT_PASSWORD_ITERATIONS).toBe(600_000)
    const stored = await hashPassword('production strength')
    expect(hashIterations(stored)).toBe(600_000)
    expect(await verifyPassword('production strength', stored)).toBe(true)
  })
})
