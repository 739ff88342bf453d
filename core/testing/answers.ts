/**
 * Two helpers for a plugin's API tests, under any test runner: an answer's body once its status
 * is the one expected, and waiting for what the outbox delivers after the answer (a subscriber's
 * write, a trigger's effect), which a test cannot await directly.
 */
import type { ApiAnswer } from './client.ts'

/** The body of an answer with the expected status; otherwise throws an error that shows the whole answer. */
export async function ok(answer: Promise<ApiAnswer> | ApiAnswer, status = 200): Promise<any> {
  const res = await answer
  if (res.status !== status) throw new Error(`expected status ${status}, got ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

/** Reads `read` until `done` holds or `deadlineMs` has passed, and returns the last reading (the test asserts on it). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}
