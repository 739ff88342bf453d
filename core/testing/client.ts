/**
 * The HTTP half of the test harness: JSON calls, organizations and services made through the
 * operator API, agents added and signed in through the real login API. Everything here speaks
 * to a fetch function only, so the same calls drive a platform in process
 * (`createTestPlatform`) and a server on another runtime (Deno, workerd) over a socket.
 */

/** Anything that answers a `Request`: `platform.fetch`, a socket-backed fetch, `globalThis.fetch`. */
export type FetchFunction = (request: Request) => Response | Promise<Response>

/** A parsed answer: the body is JSON when the response was JSON, its text otherwise. */
export interface ApiAnswer<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  /** Defaults to POST when there is a body, GET otherwise. */
  method?: string
  /** Sent as JSON unless it is already a string. */
  body?: unknown
  /** A bearer token; `null` sends none; left out, the caller's default token. */
  token?: string | null
  headers?: Record<string, string>
}

export type Call = <T = any>(path: string, options?: CallOptions) => Promise<ApiAnswer<T>>

/**
 * JSON calls against any fetch function, with `base` before every path and `defaultToken` as
 * the bearer token unless a call says otherwise.
 *
 * @example
 * const call = caller(platform.fetch, 'http://opencontact.test', operatorToken)
 * const res = await call('/operator/v1/organizations', { body: { slug: 'acme', name: 'Acme' } })
 * // res.status === 201, res.body.slug === 'acme'
 */
export function caller(fetch: FetchFunction, base: string, defaultToken: string | null): Call {
  return async (path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token === undefined ? defaultToken : options.token
    if (token) headers.authorization = `Bearer ${token}`
    let body: BodyInit | undefined
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const response = await fetch(new Request(`${base}${path}`, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body }))
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as never, headers: response.headers }
  }
}

/** The work factor test platforms hash passwords with (PBKDF2 at 1,000 iterations instead of 600,000). */
export const TEST_PASSWORD_ITERATIONS = 1_000

/** The password members made by the harness get unless a test gives one. */
export const TEST_PASSWORD = 'a long enough password'

export interface TestClientOptions {
  fetch: FetchFunction
  /** An operator token of the platform behind `fetch` (the operator API creates organizations and services). */
  operatorToken: string
  /** Put before every path; the host part is what the platform sees (default `http://opencontact.test`). */
  baseUrl?: string
}

export interface ServiceOptions {
  /** The plugins the service's contract switches on: ids, or ids with their contract features. */
  plugins?: readonly string[] | Record<string, { features?: Record<string, unknown> }>
  name?: string
  languages?: string[]
  defaultLanguage?: string
  timezone?: string
}

export interface AgentOptions {
  /** Service permissions, e.g. `['ticket']`. */
  permissions?: string[]
  /** `admin` manages the service (agents, settings, triggers); default `agent`. */
  role?: 'admin' | 'agent'
  /** Default: a new unique address in the service's organization. */
  email?: string
  password?: string
}

export interface AddedMember {
  id: string
  email: string
  password: string
}

/** The login API's answer. */
export interface SignedIn {
  accessToken: string
  tokenType: 'Bearer'
  /** Seconds until the access token expires. */
  expiresIn: number
  refreshToken: string
  refreshExpiresAt: string
}

/** An agent of a service, signed in: `call` carries the agent's token and the service's API prefix. */
export interface TestAgent {
  /** The agent id (what assignments name). */
  id: string
  memberId: string
  email: string
  password: string
  /** The access token from the login API. */
  token: string
  refreshToken: string
  /** Calls on the service's API (`/hello/greetings`), as this agent. */
  call: Call
}

/** A service made through the operator API. */
export interface TestService {
  org: string
  code: string
  orgId: string
  serviceId: string
  /** The service's API prefix, `/o/<org>/<code>/api/v1`. */
  api: string
  /** Calls on the service's API (paths after the prefix), with the operator token unless `token` is given. */
  call: Call
  /** Adds a member of the organization, makes them an agent of this service and signs them in. */
  agent(options?: AgentOptions): Promise<TestAgent>
}

/** Calls on a platform behind a fetch function, with the operator token by default. */
export interface TestClient {
  /** Calls on any path (`/operator/v1/...`, `/o/<org>/...`), with the operator token unless `token` is given. */
  call: Call
  /** Creates the organization (if new) and the service, with `plugins` contracted. */
  service(org: string, code: string, options?: ServiceOptions): Promise<TestService>
  /** Adds a member with a password to an organization through the operator API. */
  addMember(org: string, email: string, orgRole?: 'owner' | 'member', password?: string): Promise<AddedMember>
  /** Signs a member in through the organization's login API. */
  signIn(org: string, member: { email: string; password: string }): Promise<SignedIn>
}

let serial = 0

/**
 * A test client over any fetch function: the HTTP-level part of the harness, for a platform in
 * process or a server on another runtime.
 *
 * @example
 * const client = testClient({ fetch: httpFetch(server.url), operatorToken })
 * const svc = await client.service('acme', 'support', { plugins: ['hello'] })
 * const agent = await svc.agent({ permissions: ['hello'] })
 * const res = await agent.call('/hello/greetings', { body: { name: 'Ada' } })
 * // res.status === 201
 */
export function testClient(options: TestClientOptions): TestClient {
  const base = options.baseUrl ?? 'http://opencontact.test'
  const call = caller(options.fetch, base, options.operatorToken)

  const addMember: TestClient['addMember'] = async (org, email, orgRole = 'member', password = TEST_PASSWORD) => {
    const res = await call(`/operator/v1/organizations/${org}/members`, { body: { email, orgRole, password } })
    expectStatus(res, 201, `adding member ${email} to ${org}`)
    return { id: res.body.member.id, email, password }
  }

  const signIn: TestClient['signIn'] = async (org, member) => {
    const res = await call(`/o/${org}/org/v1/auth/login`, { body: { email: member.email, password: member.password }, token: null })
    expectStatus(res, 200, `signing in ${member.email}`)
    return res.body as SignedIn
  }

  return {
    call,
    addMember,
    signIn,
    async service(org, code, serviceOptions = {}) {
      const made = await call('/operator/v1/organizations', { body: { slug: org, name: org } })
      // 409: the organization is there already, from an earlier service of the same test.
      if (made.status !== 409) expectStatus(made, 201, `creating organization ${org}`)
      const { plugins = [], name = code, ...fields } = serviceOptions
      const contracted = Array.isArray(plugins) ? Object.fromEntries(plugins.map((id) => [id, {}])) : plugins
      const res = await call(`/operator/v1/organizations/${org}/services`, { body: { code, name, ...fields, contract: { plugins: contracted } } })
      expectStatus(res, 201, `creating service ${org}/${code}`)
      const api = `/o/${org}/${code}/api/v1`
      return {
        org,
        code,
        orgId: res.body.orgId,
        serviceId: res.body.id,
        api,
        call: (path, callOptions) => call(`${api}${path}`, callOptions),
        async agent({ permissions = [], role = 'agent', email = `agent${++serial}-${code}@${org}.test`, password = TEST_PASSWORD } = {}) {
          const member = await addMember(org, email, 'member', password)
          const agent = await call(`${api}/agents`, { body: { email, role, permissions } })
          expectStatus(agent, 201, `making ${email} an agent of ${org}/${code}`)
          const session = await signIn(org, member)
          const asAgent = caller(options.fetch, `${base}${api}`, session.accessToken)
          return { id: agent.body.id, memberId: member.id, email, password, token: session.accessToken, refreshToken: session.refreshToken, call: asAgent }
        },
      }
    },
  }
}

/** Throws with the whole answer, so a failed setup step says why. */
function expectStatus(res: ApiAnswer, status: number, doing: string): void {
  if (res.status !== status) throw new Error(`${doing} failed: ${res.status} ${JSON.stringify(res.body)}`)
}
