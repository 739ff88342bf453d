/**
 * The seed product's answer shape for the help-center content calls (C16, VENDOR-APIS.md §1b):
 * `{header: {resultCode, resultMessage, isSuccessful}, result: {content} | {contents, total,
 * pages, pageNum, pageSize}}`, and the error handler of the help center's `/api/v2` group, which
 * answers every failure there (ours or the platform's) in that shape. Codes: 200, 400 (bad
 * input), 404 (no such data), 500; the HTTP status is the code.
 */
import { knownError, z, type PlatformContext } from '../../../../core/mod.ts'

const Header = z.object({ resultCode: z.number().int(), resultMessage: z.string(), isSuccessful: z.boolean() }).openapi('HelpCenterCompatHeader')

export const oneOf = <T extends z.ZodType>(content: T, name: string) => z.object({ header: Header, result: z.object({ content }) }).openapi(name)
export const listOf = <T extends z.ZodType>(item: T, name: string) => z.object({ header: Header, result: z.object({ contents: z.array(item) }) }).openapi(name)
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ header: Header, result: z.object({ contents: z.array(item), total: z.number().int(), pages: z.number().int(), pageNum: z.number().int(), pageSize: z.number().int() }) }).openapi(name)

const Refusal = z.object({ header: Header, result: z.null() }).openapi('HelpCenterCompatFailure')
const refusal = (description: string) => ({ description, content: { 'application/json': { schema: Refusal } } })
export const refusals = { 400: refusal('resultCode 400: a parameter is not valid (the message names it)'), 404: refusal('resultCode 404: no such data') }

export const answer = (c: PlatformContext, result: Record<string, unknown>) => c.json({ header: { resultCode: 200, resultMessage: 'SUCCESS', isSuccessful: true }, result }, 200) as never

/** A documented failure, thrown from a handler. */
export class ContentCompatError extends Error {
  constructor(
    readonly resultCode: 400 | 404,
    message: string,
  ) {
    super(message)
    this.name = 'ContentCompatError'
  }
}

export function contentCompatErrorHandler(log: { error(message: string, meta?: Record<string, unknown>): void }) {
  return (error: Error, c: PlatformContext) => {
    let code: 400 | 404 | 500
    let message: string
    const known = error instanceof ContentCompatError ? undefined : knownError(error, c)
    if (error instanceof ContentCompatError) [code, message] = [error.resultCode, error.message]
    else if (known && known.status < 500) [code, message] = [known.status === 404 ? 404 : 400, known.message]
    else {
      log.error('help-center compat request failed', { requestId: c.get('requestId'), path: c.req.path, error })
      ;[code, message] = [500, `internal error; quote request id ${c.get('requestId')} when reporting it`]
    }
    return c.json({ header: { resultCode: code, resultMessage: message, isSuccessful: false }, result: null }, code)
  }
}
