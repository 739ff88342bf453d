/** The first-party plugins, in the order they are listed to operators. */
import type { Plugin } from '../core/mod.ts'
import ticket from './ticket/mod.ts'
import helpcenter from './helpcenter/mod.ts'

export const firstPartyPlugins: readonly Plugin[] = [ticket, helpcenter]
