/**
 * Helpers for tests that sign in: platform options with a test work factor (PBKDF2 at 1,000
 * iterations instead of 600,000) and the event dispatcher's background loop off (tests run
 * subscribers themselves), adding members through the operator API, and signing in: the last
 * two are the public test harness's (core/testing.ts), under the names these tests use.
 */
import type { PlatformOptions } from '../../core/platform.ts'
import type { IdentityArea } from '../../core/identity/area.ts'
import type { Platform } from '../../core/platform.ts'
import { TEST_PASSWORD, TEST_PASSWORD_ITERATIONS, type AddedMember, type SignedIn, type TestClient } from '../../core/testing.ts'

export { TEST_PASSWORD_ITERATIONS }
export type { AddedMember, SignedIn }

export function identityOptions(extra: Partial<PlatformOptions> = {}): Partial<PlatformOptions> {
  return { events: { background: false }, ...extra, identity: { passwordIterations: TEST_PASSWORD_ITERATIONS, ...extra.identity } }
}

/** The identity area of a platform, for its runtime and its mail subscriber. */
export function identityAreaOf(platform: Platform): IdentityArea {
  return platform.areas.find((a) => a.id === 'identity') as IdentityArea
}

/** Adds a member with a password through the operator API. */
export function addMember(t: TestClient, org: string, email: string, orgRole: 'owner' | 'member' = 'member', password = TEST_PASSWORD): Promise<AddedMember> {
  return t.addMember(org, email, orgRole, password)
}

export function signIn(t: TestClient, org: string, member: { email: string; password: string }): Promise<SignedIn> {
  return t.signIn(org, member)
}
