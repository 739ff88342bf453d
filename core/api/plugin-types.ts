/**
 * The types a plugin's own schemas give its context: settings, contract features and event
 * payloads as the schemas output them. `definePlugin` reads them off the definition, so the
 * callbacks written in it are typed without casts; `PluginTypesOf` reads them off the schemas
 * for code in other files (see typed-plugin.ts).
 */
import type { z } from 'zod'
import type { EventDeclarations } from '../events/declarations.ts'

/**
 * What a plugin's context reads, as types: its settings, its contract features and, by event
 * type, the payload of each event it declares. The default is the untyped view the core itself
 * holds of every plugin (any settings, any features, any event), so a context typed for one
 * plugin still goes wherever a plain `PluginContext` is asked for.
 */
export interface PluginTypes {
  readonly settings: Readonly<Record<string, unknown>>
  readonly features: Readonly<Record<string, unknown>>
  readonly events: Readonly<Record<string, unknown>>
}

/** Contract feature schemas, as `contract.features` declares them. */
export type FeatureSchemas = Readonly<Record<string, z.ZodType>>

/**
 * A plugin without settings or features reads an empty object: `{}` here, not an index
 * signature, so reading a property that was never declared is a type error.
 */
type Empty = {}

/**
 * Each `…Of` below reads a schema that may be left out (`undefined`, or missing from the
 * `PluginSchemas` given, which reads as `unknown`): `Given` makes both `undefined`, as
 * `NonNullable<undefined>` is `never`, which passes every `extends`.
 */
type Given<T> = [NonNullable<T>] extends [never] ? undefined : NonNullable<T>

/**
 * A schema type of `never` is what TypeScript passes while it has not inferred the schemas yet,
 * and keeps in a nested generic call it types meanwhile (`provides: [provide(ref, (ctx) => ...)]`):
 * there the untyped view, as before the schemas were read, rather than "none".
 */
type Read<T, Typed, Untyped> = [T] extends [never] ? Untyped : Typed

/** The settings a schema gives (defaults applied, as `ctx.settings` returns them); none without one. */
export type SettingsOf<S> = Read<S, [Given<S>] extends [z.ZodObject] ? z.output<Given<S>> : Empty, PluginTypes['settings']>

/** The contract features a record of schemas gives, each with its default applied. */
export type FeaturesOf<F> = Read<F, [Given<F>] extends [FeatureSchemas] ? { readonly [K in keyof Given<F>]: z.output<Given<F>[K]> } : Empty, PluginTypes['features']>

/** Event type -> its payload as subscribers receive it, from a plugin's `events`. */
export type EventsOf<E> = Read<E, [Given<E>] extends [EventDeclarations] ? { readonly [K in keyof Given<E> & string]: PayloadOf<Given<E>[K]> } : Empty, PluginTypes['events']>

/** One declaration's payload: a bare schema, or the `payload` of `{ payload, internal }`. */
type PayloadOf<D> = D extends z.ZodType ? z.output<D> : D extends { readonly payload: infer P extends z.ZodType } ? z.output<P> : never

/** The schemas a plugin declares, as `PluginTypesOf` takes them; each may be left out. */
export interface PluginSchemas {
  readonly settings?: z.ZodObject
  readonly features?: FeatureSchemas
  readonly events?: EventDeclarations
}

/**
 * The {@link PluginTypes} of a plugin's schemas, for naming its context where the definition
 * cannot be imported (see `PluginContextOf`).
 */
export interface PluginTypesOf<S extends PluginSchemas> {
  readonly settings: SettingsOf<S['settings']>
  readonly features: FeaturesOf<S['features']>
  readonly events: EventsOf<S['events']>
}
