/**
 * Fresh databases for tests: a new PostgreSQL database per call on the test cluster, or an
 * in-memory PGlite. Tests that must hold on both drivers loop over `DRIVERS`.
 */
import postgres from 'postgres'
import { inject } from 'vitest'
import type { Db } from '../../core/storage/db.ts'
import { postgresDb } from '../../core/storage/postgres.ts'
import { pgliteDb } from '../../core/storage/pglite.ts'

export const DRIVERS = ['pglite', 'postgres'] as const
export type Driver = (typeof DRIVERS)[number]

/** Creates an empty database on the test cluster and returns its URL. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = postgres(inject('pgUrl'), { max: 1, onnotice: () => {} })
  const name = `oc_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(inject('pgUrl'))
  url.pathname = `/${name}`
  return url.toString()
}

export async function freshDb(driver: Driver): Promise<Db> {
  return driver === 'postgres' ? postgresDb(await freshPostgresUrl()) : pgliteDb()
}
