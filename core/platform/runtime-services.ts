import type { HostResolver } from '../http/outbound.ts'
import type { WebhookHmac } from '../events/webhooks/signing.ts'

/**
 * What the runtime offers beyond web standards, given by its entry (`opencontact/node`,
 * `/deno`, `/workers`), so that no area detects the runtime itself. (Field encryption's faster
 * primitives go to the keyring: `keyringFromEnv(env, { cipher })`.)
 */
export interface RuntimeServices {
  /**
   * Resolves host names for the outbound guard, which checks every address a name resolves to;
   * null where the runtime has no resolver (Workers): there only literal addresses and reserved
   * names are refused.
   */
  readonly resolveHost: HostResolver | null
  /** The web hook signer's HMAC where the runtime has one faster than WebCrypto's (Node); null: WebCrypto. */
  readonly webhookHmac: WebhookHmac | null
}

/**
 * What `createPlatform` is built from. The option groups a core area reads are declared by
 * that area (identity/options.ts, events/options.ts) and listed here by extension.
 */
