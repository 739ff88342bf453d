/**
 * The runtime's services beyond web standards when the caller of `createPlatform` names none
 * (tests, embedders): found here, so that the rest of the core is given capabilities instead of
 * detecting the runtime. The runtime entries give theirs explicitly (node.ts, deno.ts, worker.ts).
 */
import type { RuntimeServices } from '../platform/runtime-services.ts'

const isWorkers = () => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers'

/** `node:dns` on Node and Deno; null on Workers, whose `node:dns` cannot resolve arbitrary names. */
function systemResolver(): RuntimeServices['resolveHost'] {
  if (isWorkers()) return null
  const dns = import('node:dns/promises').catch(() => null)
  return async (host) => {
    const found = await dns
    if (!found) throw new Error('this runtime cannot resolve host names')
    return (await found.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
  }
}

/** `createHmac` on Node (not Deno or Workers, whose WebCrypto is native and has no thread-pool hop). */
function nodeHmac(): RuntimeServices['webhookHmac'] {
  const runtime = globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown }; Deno?: unknown; Bun?: unknown }
  if (!runtime.process?.versions?.node || runtime.Deno || runtime.Bun || isWorkers()) return null
  const node = runtime.process.getBuiltinModule?.('node:crypto') as typeof import('node:crypto') | undefined
  if (typeof node?.createHmac !== 'function') return null
  return async (key, message) => node.createHmac('sha256', key).update(message, 'utf8').digest('base64')
}

export function detectRuntimeServices(): RuntimeServices {
  return { resolveHost: systemResolver(), webhookHmac: nodeHmac() }
}
