/**
 * The one error model of the platform: a stable code, a message that names what is wrong and
 * how to fix it, the HTTP status, and field issues for validation failures.
 *
 * Every response error has the shape
 * `{ "error": { "code", "message", "requestId", "issues"?: [{ "path", "message", "code"? }] } }`.
 */

/** A problem with one input field; `path` is dotted from the request part, e.g. `body.name`. */
export interface FieldIssue {
  path: string
  message: string
  code?: string
}

/** Codes and the HTTP status each one answers with. Plugins may use any `OC_`-free code of their own. */
export const ERROR_STATUS = {
  OC_BAD_REQUEST: 400,
  OC_MALFORMED_JSON: 400,
  OC_VALIDATION: 422,
  OC_UNAUTHENTICATED: 401,
  OC_FORBIDDEN: 403,
  OC_NOT_FOUND: 404,
  OC_TENANT_NOT_FOUND: 404,
  OC_CONFLICT: 409,
  OC_PAYLOAD_TOO_LARGE: 413,
  OC_UNSUPPORTED_MEDIA_TYPE: 415,
  OC_RATE_LIMITED: 429,
  OC_INTERNAL: 500,
  OC_MIGRATION_FAILED: 500,
  OC_MIGRATION_EMPTY: 500,
  OC_MIGRATION_DUPLICATE: 500,
} as const satisfies Record<string, number>

export type CoreErrorCode = keyof typeof ERROR_STATUS

export interface OcErrorOptions {
  status?: number
  issues?: FieldIssue[]
  cause?: unknown
}

export class OcError extends Error {
  readonly code: string
  readonly status: number
  readonly issues: FieldIssue[] | undefined

  constructor(code: CoreErrorCode | (string & {}), message: string, options: OcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'OcError'
    this.code = code
    this.status = options.status ?? (ERROR_STATUS as Record<string, number>)[code] ?? 500
    this.issues = options.issues
  }

  /** The JSON body sent to clients; never carries the stack or the cause. */
  toBody(requestId: string | undefined): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(requestId ? { requestId } : {}),
        ...(this.issues?.length ? { issues: this.issues } : {}),
      },
    }
  }
}

/** Shorthands for the errors handlers raise most. */
export const errors = {
  notFound: (what: string) => new OcError('OC_NOT_FOUND', `${what} was not found`),
  forbidden: (why: string) => new OcError('OC_FORBIDDEN', why),
  unauthenticated: (why: string) => new OcError('OC_UNAUTHENTICATED', why),
  conflict: (why: string) => new OcError('OC_CONFLICT', why),
  invalid: (issues: FieldIssue[], message = describeIssues(issues)) =>
    new OcError('OC_VALIDATION', message, { issues }),
}

/** One readable sentence out of field issues: `body.name: Required; body.age: Too small`. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.length === 0 ? 'invalid input' : issues.map((i) => `${i.path}: ${i.message}`).join('; ')
}
