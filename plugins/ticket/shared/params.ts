/** The path parameter the ticket configuration routes share: a resource id (uuid). */
import { z } from '../../../core/mod.ts'

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10' }) })
