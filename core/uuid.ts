/** The one check of uuid text (any version, either case) before it reaches a `uuid` column or a key. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether `text` is a uuid in its canonical text form. @example if (!isUuid(id)) throw errors.notFound(...) */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}
