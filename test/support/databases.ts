/**
 * Fresh databases for tests: a new PostgreSQL database per call on the test cluster, or an
 * in-memory PGlite. Tests that must hold on both drivers loop over `DRIVERS`.
 */
import { inject } from 'vitest'
import type { Db } from '../../core/storage/db.ts'
import { postgresDb } from '../../core/storage/postgres.ts'
import { pgliteDb } from '../../core/storage/pglite.ts'
import { createTestDatabase } from '../../core/testing.ts'

export const DRIVERS = ['pglite', 'postgres'] as const
export type Driver = (typeof DRIVERS)[number]

/** Creates an empty database on the test cluster and returns its URL. */
export function freshPostgresUrl(): Promise<string> {
  return createTestDatabase(inject('pgUrl'))
}

export async function freshDb(driver: Driver): Promise<Db> {
  return driver === 'postgres' ? postgresDb(await freshPostgresUrl()) : pgliteDb()
}
