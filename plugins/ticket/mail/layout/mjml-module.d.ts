/**
 * The slice of `mjml` (and `mjml-browser`, the same function for browsers and Workers) the
 * layout compiler uses; neither package ships type declarations.
 */
declare module 'mjml' {
  export interface MjmlIssue {
    readonly line: number
    readonly message: string
    readonly tagName: string
    readonly formattedMessage?: string
  }
  export interface MjmlOptions {
    readonly validationLevel?: 'strict' | 'soft' | 'skip'
    readonly ignoreIncludes?: boolean
    readonly keepComments?: boolean
    readonly minify?: boolean
    readonly filePath?: string
  }
  export interface MjmlResult {
    readonly html: string
    readonly errors: readonly MjmlIssue[]
  }
  const mjml2html: (source: string, options?: MjmlOptions) => MjmlResult | Promise<MjmlResult>
  export default mjml2html
}
