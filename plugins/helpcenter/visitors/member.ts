/**
 * A help-center visitor (W5): the principal of the help center's pages. Anonymous, or a member of
 * the tenant's own service as the tenant's login named them (usercode, name, email, phone,
 * member number). Members are no principal of the platform: they never reach the API's routes,
 * only the help center's pages and the functions those pages call.
 */
import { z } from '../../../core/mod.ts'

/** A member as a sign-in scheme hands them over; the usercode is the tenant's own id of them. */
export const Member = z.object({
  usercode: z.string().trim().min(1).max(200),
  name: z.string().trim().max(200).optional(),
  email: z.string().trim().max(320).optional(),
  phone: z.string().trim().max(50).optional(),
  memberno: z.string().trim().max(200).optional(),
})
export type Member = z.infer<typeof Member>

/** How a member signed in: the seed product's member-integration token, or a signed JWT hand-off. */
export type SignInScheme = 'member-token' | 'jwt'

export type Visitor =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'member'; readonly member: Member; readonly scheme: SignInScheme; readonly expiresAt: string }

export const ANONYMOUS_VISITOR: Visitor = Object.freeze({ kind: 'anonymous' })
