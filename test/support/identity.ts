/**
 * Helpers for tests that sign in: platform options with a test work factor (PBKDF2 at 1,000
 * iterations instead of 600,000) and the event dispatcher's background loop off (tests run
 * subscribers themselves), adding members through the operator API, and signing in.
 */
import type { PlatformOptions } from '../../core/platform.ts'
import type { IdentityArea } from '../../core/identity/area.ts'
import type { Platform } from '../../core/platform.ts'
import type { TestPlatform } from './platform.ts'

export const TEST_PASSWORD_ITERATIONS = 1_000

export function identityOptions(extra: Partial<PlatformOptions> = {}): Partial<PlatformOptions> {
  return { events: { background: false }, ...extra, identity: { passwordIterations: TEST_PASSWORD_ITERATIONS, ...extra.identity } }
}

/** The identity area of a platform, for its runtime and its mail subscriber. */
export function identityAreaOf(platform: Platform): IdentityArea {
  return platform.areas.find((a) => a.id === 'identity') as IdentityArea
}

export interface AddedMember {
  id: string
  email: string
  password: string
}

/** Adds a member with a password through the operator API. */
export async function addMember(t: TestPlatform, org: string, email: string, orgRole: 'owner' | 'member' = 'member', password = 'a long enough password'): Promise<AddedMember> {
  const res = await t.call(`/operator/v1/organizations/${org}/members`, { body: { email, orgRole, password } })
  if (res.status !== 201) throw new Error(`adding ${email} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return { id: res.body.member.id, email, password }
}

export interface SignedIn {
  accessToken: string
  refreshToken: string
}

export async function signIn(t: TestPlatform, org: string, member: { email: string; password: string }): Promise<SignedIn> {
  const res = await t.call(`/o/${org}/org/v1/auth/login`, { body: { email: member.email, password: member.password }, token: null })
  if (res.status !== 200) throw new Error(`signing in ${member.email} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}
