/**
 * The compat OPEN API's answer shape (C16): `{header: {resultCode, resultMessage, isSuccessful},
 * result: {content} | {contents, total, pages, pageNum, pageSize}}`, its result codes, the
 * validation list with the documented keys, and the error handler of both compat mounts, which
 * answers every failure (ours or the platform's) in this shape.
 *
 * HTTP status: the result code when it is an HTTP status (200, 400, 403, 404, 500), else 200
 * (1001/1002 spam limits, 9005 no data, 9007 already exists), so clients reading either the status or the header agree.
 */
import { knownError, z, type PlatformContext } from '../../../core/mod.ts'

export const RESULT = {
  ok: 200,
  badRequest: 400,
  forbidden: 403,
  notFound: 404,
  internal: 500,
  // Repeat-inquiry blocking (repeat-inquiries.ts): too soon after the last inquiry, daily limit reached.
  repeatInquiryTooSoon: 1001,
  dailyInquiryLimit: 1002,
  noData: 9005,
  alreadyExists: 9007,
} as const

const Header = z.object({ resultCode: z.number().int(), resultMessage: z.string(), isSuccessful: z.boolean() }).openapi('OcCompatHeader')

/** One validation failure, as the documentation names its keys. */
export const ValidationItem = z
  .object({
    objectName: z.string().openapi({ description: 'The field code (or the request attribute, e.g. `subject`)' }),
    field: z.number().int().nullable().openapi({ description: 'The fieldId; null for request attributes' }),
    validate: z.enum(['invalid', 'length', 'required']),
    key: z.string().openapi({ example: 'validate.ticket.order_no.required' }),
    message: z.string(),
    rejectValue: z.unknown(),
  })
  .openapi('OcCompatValidationItem')
export type ValidationItem = z.infer<typeof ValidationItem>

export const one = <T extends z.ZodType>(content: T, name: string) => z.object({ header: Header, result: z.object({ content }) }).openapi(name)
export const many = <T extends z.ZodType>(item: T, name: string) => z.object({ header: Header, result: z.object({ contents: z.array(item) }) }).openapi(name)
export const page = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ header: Header, result: z.object({ contents: z.array(item), total: z.number().int(), pages: z.number().int(), pageNum: z.number().int(), pageSize: z.number().int() }) }).openapi(name)
export const Failure = z.object({ header: Header, result: z.object({ contents: z.array(ValidationItem) }).nullable() }).openapi('OcCompatFailure')

const jsonOf = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } })
/** The failures every compat route may answer, for the OpenAPI document. */
export const failures = {
  400: jsonOf(Failure, 'resultCode 400: blank or incorrect Authorization, bad or expired X-TC-Timestamp, invalid input (with `contents`)'),
  403: jsonOf(Failure, 'resultCode 403: OPEN API disabled or no key, client IP not allowed'),
  404: jsonOf(Failure, 'resultCode 404: no such data'),
}

const httpStatusOf = (code: number) => (code === 200 || code === 400 || code === 403 || code === 404 || code === 500 ? code : 200)

export function success(c: PlatformContext, result: Record<string, unknown>) {
  return c.json({ header: { resultCode: RESULT.ok, resultMessage: '', isSuccessful: true }, result }, 200) as never
}

/** A documented failure; thrown anywhere in a compat handler. */
export class CompatError extends Error {
  constructor(
    readonly resultCode: number,
    message: string,
    readonly contents: ValidationItem[] | null = null,
  ) {
    super(message)
    this.name = 'CompatError'
  }
}

const validateOf = (code: string): ValidationItem['validate'] => (code === 'required' ? 'required' : code === 'too_long' || code === 'too_short' ? 'length' : 'invalid')

export function validationItem(objectName: string, field: number | null, code: string, message: string, rejectValue: unknown): ValidationItem {
  const validate = validateOf(code)
  return { objectName, field, validate, key: `validate.ticket.${objectName}.${validate}`, message, rejectValue: rejectValue ?? null }
}

/** The error handler of the compat mounts. */
export function compatErrorHandler(log: { error(message: string, meta?: Record<string, unknown>): void }) {
  return (error: Error, c: PlatformContext) => {
    let failure: CompatError
    // Platform refusals include the route library's own (e.g. 415 for a JSON body on the multipart upload).
    const known = error instanceof CompatError ? undefined : knownError(error, c)
    if (error instanceof CompatError) failure = error
    else if (known && known.status < 500) {
      const issues = known.issues ?? []
      const code = known.status === 404 ? RESULT.notFound : known.status === 403 || known.status === 401 ? RESULT.forbidden : RESULT.badRequest
      // The route library's 415 (known was converted, not thrown) names only JSON; here the upload is multipart.
      const gate = known !== error && known.status === 415
      const message = gate ? `this call does not accept content type '${c.req.header('content-type') ?? 'none'}': the upload takes multipart/form-data with the file as form field 'file', the other calls application/json` : known.message
      failure = new CompatError(code, message, issues.length ? issues.map((i) => validationItem(i.path.replace(/^(body|query|path)\./, ''), null, i.code ?? 'invalid', i.message, null)) : null)
    } else {
      log.error('compat request failed', { requestId: c.get('requestId'), path: c.req.path, error })
      failure = new CompatError(RESULT.internal, `internal error; quote request id ${c.get('requestId')} when reporting it`)
    }
    const body = { header: { resultCode: failure.resultCode, resultMessage: failure.message, isSuccessful: false }, result: failure.contents ? { contents: failure.contents } : null }
    return c.json(body, httpStatusOf(failure.resultCode) as never)
  }
}
