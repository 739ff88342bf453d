/**
 * Values built from an OpenAPI document's JSON Schemas: a plain sample of a schema, and every
 * place in such a value where a string goes (string properties at any depth, array items, the
 * keys and values of maps, each alternative of a oneOf/anyOf), each as a function that puts a
 * given string there. Samples follow the schema closely enough to look like real input; what a
 * sweep checks does not depend on it (unstorable text is refused before a body is validated).
 */
export type Schema = Record<string, any>
/** A body with `text` in one string place. */
export type Place = { at: string; fill(text: string): unknown }

const MAX_DEPTH = 8

export class SchemaWalker {
  constructor(private readonly doc: { components?: { schemas?: Record<string, Schema> } }) {}

  /** The schema a `$ref` names (`#/components/schemas/X`), or the schema itself. */
  resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {}
    for (let hops = 0; current.$ref && hops < 10; hops++) current = this.doc.components?.schemas?.[String(current.$ref).replace('#/components/schemas/', '')] ?? {}
    return current
  }

  /** A value of `schema`: its example where it has one, else the simplest value of its type (every property included). */
  sample(schema: Schema | undefined, depth = 0): unknown {
    const s = this.resolve(schema)
    if (s.example !== undefined) return s.example
    if (s.default !== undefined) return s.default
    if (s.enum) return s.enum[0]
    const alternatives = s.oneOf ?? s.anyOf
    if (alternatives) return this.sample(alternatives.find((a: Schema) => this.resolve(a).type !== 'null') ?? alternatives[0], depth + 1)
    if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Schema) => this.sample(part, depth + 1)))
    switch (typeOf(s)) {
      case 'string':
        return s.format === 'uuid' ? crypto.randomUUID() : s.format === 'email' ? 'sample@example.com' : s.format === 'date-time' ? '2026-01-02T03:04:05Z' : s.format === 'date' ? '2026-01-02' : s.format === 'uri' ? 'https://hooks.example.com/sample' : 'sample'
      case 'integer':
      case 'number':
        return s.minimum ?? 1
      case 'boolean':
        return true
      case 'null':
        return null
      case 'array':
        return depth >= MAX_DEPTH ? [] : [this.sample(s.items, depth + 1)]
      case 'object': {
        if (depth >= MAX_DEPTH) return {}
        const value: Record<string, unknown> = {}
        for (const [key, property] of Object.entries<Schema>(s.properties ?? {})) value[key] = this.sample(property, depth + 1)
        if (!s.properties && typeof s.additionalProperties === 'object') value.ko = this.sample(s.additionalProperties, depth + 1)
        return value
      }
      default:
        return 'sample'
    }
  }

  /** Every string place of a value of `schema`, named by its path from `at` (`body.requester.name`). */
  places(schema: Schema | undefined, at: string, depth = 0): Place[] {
    if (depth > MAX_DEPTH) return []
    const s = this.resolve(schema)
    const alternatives = s.oneOf ?? s.anyOf
    if (alternatives) return alternatives.flatMap((a: Schema, i: number) => this.places(a, alternatives.length > 1 ? `${at}<${i}>` : at, depth + 1))
    if (s.allOf) {
      const whole = this.sample(s, depth)
      return s.allOf.flatMap((part: Schema) => this.places(part, at, depth + 1).map((p) => ({ at: p.at, fill: (text: string) => ({ ...(whole as object), ...(p.fill(text) as object) }) })))
    }
    const type = typeOf(s)
    if (type === 'string' && s.format !== 'binary') return [{ at, fill: (text) => text }]
    if (type === 'array') return this.places(s.items, `${at}.0`, depth + 1).map((p) => ({ at: p.at, fill: (text) => [p.fill(text)] }))
    if (type !== 'object') return []
    const base = this.sample(s, depth) as Record<string, unknown>
    const found: Place[] = []
    for (const [key, property] of Object.entries<Schema>(s.properties ?? {})) {
      for (const p of this.places(property, `${at}.${key}`, depth + 1)) found.push({ at: p.at, fill: (text) => ({ ...base, [key]: p.fill(text) }) })
    }
    if (s.additionalProperties && s.additionalProperties !== false) {
      const value = typeof s.additionalProperties === 'object' ? this.sample(s.additionalProperties, depth + 1) : 'sample'
      // A map's keys are text too (field codes, language codes).
      found.push({ at: `${at}.<key>`, fill: (text) => ({ ...base, [text]: value }) })
      if (typeof s.additionalProperties === 'object') {
        for (const p of this.places(s.additionalProperties, `${at}.ko`, depth + 1)) found.push({ at: p.at, fill: (text) => ({ ...base, ko: p.fill(text) }) })
      }
    }
    return found
  }
}

function typeOf(s: Schema): string | undefined {
  const types: string[] = s.type === undefined ? [] : [s.type].flat()
  return types.find((t) => t !== 'null') ?? types[0] ?? (s.properties || s.additionalProperties ? 'object' : undefined)
}
