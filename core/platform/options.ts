/**
 * The platform options: the database, the plugins and everything an embedder or a runtime entry
 * tunes. In a file of its own so the areas whose option groups it lists, and the platform that
 * reads it, depend on it without depending on each other.
 */
import type { Db } from '../storage/db.ts'
import type { Plugin } from '../api/define.ts'
import type { BlobPolicy, BlobStore } from '../storage/blob.ts'
import type { DocsAssetReader } from '../http/docs.ts'
import type { CoreAreaFactory } from '../area.ts'
import type { Logger } from '../log.ts'
import type { Keyring } from '../api/crypto.ts'
import type { IdentityPlatformOptions } from '../identity/options.ts'
import type { EventPlatformOptions } from '../events/options.ts'
import type { RuntimeServices } from './runtime-services.ts'

export type { RuntimeServices } from './runtime-services.ts'

export interface PlatformOptions extends IdentityPlatformOptions, EventPlatformOptions {
  db: Db
  /** The runtime's services; without them they are detected (core/runtime/native.ts). */
  runtime?: RuntimeServices
  plugins?: readonly Plugin[]
  /** Where uploads go; the database by default. */
  blobStore?: BlobStore
  /** Enables `{org}.{baseDomain}` host names besides `/o/{org}` paths. */
  baseDomain?: string
  /** Largest request body accepted, in bytes (default 1 MiB), where a route declares no limit of its own (`route({ bodyLimit })`). */
  bodyLimitBytes?: number
  /** Default limits of uploaded files (default 10 MiB, any type). */
  uploadPolicy?: BlobPolicy
  /** Reads Swagger UI's files for `/docs`; without it `/docs` explains how to enable it. */
  docsAssets?: DocsAssetReader
  /** Run pending migrations in `start()` (default true). */
  migrateOnStart?: boolean
  /** Extra core areas (tests, embedders); the built-in ones always come first. */
  areas?: readonly CoreAreaFactory[]
  /** Proxies whose `X-Forwarded-For` is believed, as CIDR ranges, e.g. `['10.0.0.0/8']`. */
  trustedProxies?: readonly string[]
  log?: Logger
  /** Master keys for field encryption (`keyringFromEnv(env)`); without them `ctx.crypto` refuses to encrypt. */
  keyring?: Keyring
}
