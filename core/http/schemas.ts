/** Schemas shared by every API: the error body and helpers to declare JSON bodies and answers. */
import { z } from '@hono/zod-openapi'

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'OC_VALIDATION' }),
      message: z.string().openapi({ example: 'body.name: Too small: expected string to have >=1 characters' }),
      requestId: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
    }),
  })
  .openapi('Error')

/** `{ description, content: { 'application/json': { schema } } }`, the shape OpenAPI wants. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } }
}

/** The error answers every authenticated route may give, for the docs. */
export const commonErrors = {
  400: json(ErrorBody, 'Malformed request (e.g. invalid JSON)'),
  401: json(ErrorBody, 'Missing or invalid credentials'),
  403: json(ErrorBody, 'Not allowed for this principal'),
  404: json(ErrorBody, 'Not found, or not contracted for this service'),
  422: json(ErrorBody, 'Validation failed; `issues` names each field'),
} as const
