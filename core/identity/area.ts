/** The identity area: members and sign-in, agents and groups, service keys and IP allowlists (C3–C6). */
import type { CoreAreaFactory } from '../area.ts'

export const identityArea: CoreAreaFactory = () => ({ id: 'identity' })
