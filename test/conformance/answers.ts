/** Helpers of the conformance flows: answers with the status expected, and waiting for what the outbox delivers. */
import { expect } from 'vitest'
import type { ApiAnswer } from '../../core/testing.ts'

/** The body of an answer with the expected status, or a failure that shows the whole answer. */
export async function ok(answer: Promise<ApiAnswer>, status = 200): Promise<any> {
  const res = await answer
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  return res.body
}

/** Reads `read` until `done` holds or `deadlineMs` has passed, and returns the last reading. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}
