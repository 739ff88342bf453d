/**
 * Platform options from the environment, for `opencontact` on Node and Deno: the database,
 * the master keys of field encryption, the JWT secret, trusted proxies, outgoing mail and the
 * outgoing-call allowlist; and the platform every command runs, built from them.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createPlatform, type Platform, type PlatformOptions } from '../core/platform.ts'
import type { Plugin } from '../core/api/define.ts'
import { generateMasterKey, keyringFromEnv, parseKeyring, type Keyring } from '../core/crypto/keyring.ts'
import { createLogger, type LogLevel, type Logger } from '../core/log.ts'
import { parseOutboundAllowlist } from '../core/http/outbound.ts'

type Env = Record<string, string | undefined>

/**
 * The keyring: `OC_MASTER_KEYS` / `OC_MASTER_KEY`, or `OC_MASTER_KEYS_FILE`. With the embedded
 * database and none of these, a key file is made in the data folder on first start, so a quick
 * start can store personal data; its loss is the loss of that data, which the log says.
 * With PostgreSQL no key is ever invented: personal-info fields are refused until one is set.
 */
export async function loadKeyring(env: Env, dataDir: string, log: Logger): Promise<Keyring | undefined> {
  // The command runs on Node: values are sealed with node:crypto (the same bytes as WebCrypto's, faster).
  const { nodeCipher: cipher } = await import('../core/runtime/node.ts')
  const fromEnv = keyringFromEnv(env, { cipher })
  if (fromEnv) return fromEnv
  if (env.OC_MASTER_KEYS_FILE) return parseKeyring(await readFile(env.OC_MASTER_KEYS_FILE, 'utf8'), { cipher })
  if (env.DATABASE_URL) {
    log.warn('no master key (OC_MASTER_KEYS): personal-info fields cannot be stored until one is set')
    return undefined
  }
  const file = join(dataDir, 'master-keys')
  try {
    return parseKeyring(await readFile(file, 'utf8'), { cipher })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await writeFile(file, `1:${generateMasterKey()}\n`, { mode: 0o600, flag: 'wx' })
  await chmod(file, 0o600)
  log.warn('generated a master key for field encryption; back it up: without it encrypted personal data is lost', { file })
  return parseKeyring(await readFile(file, 'utf8'), { cipher })
}

/** Options read straight from variables. */
export async function environmentOptions(env: Env): Promise<Partial<PlatformOptions>> {
  const options: Partial<PlatformOptions> = {
    baseDomain: env.OC_BASE_DOMAIN,
    bodyLimitBytes: env.OC_BODY_LIMIT ? Number(env.OC_BODY_LIMIT) : undefined,
    jwtSecret: env.OC_JWT_SECRET,
    trustedProxies: env.OC_TRUSTED_PROXIES?.split(',').map((s) => s.trim()).filter(Boolean),
    outboundAllowlist: parseOutboundAllowlist(env.OC_OUTBOUND_ALLOWLIST),
    runtime: (await import('../core/runtime/node.ts')).nodeRuntime,
  }
  // Tenants' own SMTP accounts work even when the platform has no sender of its own.
  const { smtpConnector, smtpTransport } = await import('../core/mail/smtp.ts')
  options.mail = {
    transport: env.OC_SMTP_URL ? smtpTransport({ url: env.OC_SMTP_URL }) : undefined,
    from: env.OC_MAIL_FROM ?? 'OpenContact <no-reply@localhost>',
    connect: smtpConnector(),
  }
  return options
}

/** A platform from the environment, and how to close it with its database. */
export interface EnvironmentPlatform {
  readonly platform: Platform
  readonly keyring: Keyring | undefined
  close(): Promise<void>
}

/**
 * The platform `serve` and every other command run: the database named by the environment
 * (PGlite in `OC_DATA_DIR`, locked for this process, unless `DATABASE_URL` is set), its keys,
 * blobs beside the embedded database, Swagger UI's files and the options above.
 * `command` names this process to another one refused by the data folder's lock.
 */
export async function platformFromEnvironment(env: Env, plugins: readonly Plugin[], command?: string): Promise<EnvironmentPlatform> {
  const { openDatabase, dataDir, packageDocsAssets } = await import('../core/runtime/node.ts')
  const db = await openDatabase(env, command)
  try {
    const log = createLogger((env.OC_LOG_LEVEL as LogLevel | 'silent' | undefined) ?? 'info')
    const keyring = await loadKeyring(env, dataDir(env), log)
    const platform = createPlatform({
      db,
      plugins,
      ...(await environmentOptions(env)),
      keyring,
      blobStore: env.DATABASE_URL ? undefined : (await import('../core/runtime/blob-local.ts')).localBlobStore(`${dataDir(env)}/blobs`),
      docsAssets: packageDocsAssets(),
      log,
    })
    return {
      platform,
      keyring,
      async close() {
        try {
          await platform.stop()
        } finally {
          await db.close()
        }
      },
    }
  } catch (error) {
    await db.close()
    throw error
  }
}
