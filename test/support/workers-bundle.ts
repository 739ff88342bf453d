/**
 * Bundles a module worker the way a Workers deployment would (esbuild, workerd conditions,
 * `node:*` left to `nodejs_compat`), for tests that run it in Miniflare.
 */
import { build, type BuildOptions } from 'esbuild'

export async function bundleForWorkers(entry: string, outfile: string, extra: Pick<BuildOptions, 'alias' | 'banner'> = {}): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:sockets', 'node:*'],
    logLevel: 'error',
    ...extra,
  })
  return outfile
}
