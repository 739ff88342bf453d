/**
 * The test harness for plugin authors (`opencontact/testing`): start a platform with your
 * plugin on PGlite or PostgreSQL, create an organization and a service that contracts it, sign
 * in an agent through the real login API and call the plugin's routes. It depends on no test
 * runner; use it from vitest, `node:test` or Deno's test runner alike.
 *
 * @example
 * import { afterAll, beforeAll, expect, it } from 'vitest'
 * import { createTestPlatform, type TestPlatform, type TestService } from 'opencontact/testing'
 * import ticket from 'opencontact/plugins/ticket'
 * import hello from './mod.ts'
 *
 * let tp: TestPlatform
 * let svc: TestService
 * beforeAll(async () => {
 *   tp = await createTestPlatform({ plugins: [ticket, hello] })
 *   svc = await tp.service('acme', 'support', { plugins: ['ticket', 'hello'] })
 * })
 * afterAll(() => tp.close())
 *
 * it('greets', async () => {
 *   const agent = await svc.agent({ permissions: ['hello'] })
 *   expect((await agent.call('/hello/greetings', { body: { name: 'Ada' } })).status).toBe(201)
 * })
 *
 * The HTTP-level part (`testClient`, `caller`, `ok`, `eventually`) works over any fetch function,
 * so the same calls drive a server on Deno or workerd: write a plugin's API flows against a
 * `TestClient` once and run them in process and against every runtime (as
 * examples/hello-plugin/flows.ts does).
 */
export { createTestDatabase, createTestPlatform } from './testing/platform.ts'
export type { TestDriver, TestPlatform, TestPlatformOptions } from './testing/platform.ts'
export { eventually, ok } from './testing/answers.ts'
export { caller, TEST_PASSWORD, TEST_PASSWORD_ITERATIONS, testClient } from './testing/client.ts'
export type { AddedMember, AgentOptions, ApiAnswer, Call, CallOptions, FetchFunction, ServiceOptions, SignedIn, TestAgent, TestClient, TestClientOptions, TestService } from './testing/client.ts'
