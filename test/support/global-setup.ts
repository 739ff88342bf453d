/** Vitest global setup: one PostgreSQL cluster for the whole run, unless OC_TEST_DATABASE_URL names one. */
import type { TestProject } from 'vitest/node'
import { startCluster } from './pg-cluster.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string
  }
}

export default async function setup(project: TestProject) {
  if (process.env.OC_TEST_DATABASE_URL) {
    project.provide('pgUrl', process.env.OC_TEST_DATABASE_URL)
    return
  }
  const cluster = await startCluster()
  project.provide('pgUrl', cluster.url)
  return () => cluster.stop()
}
