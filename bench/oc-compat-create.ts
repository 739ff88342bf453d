/**
 * oc-compat-create: tickets filed per second through the Online Contact OPEN API compat route
 * (`POST /{service}/openapi/v1/ticket.json`, HMAC-signed, documented envelope) against the same
 * ticket through the native route (`POST /api/v1/ticket/tickets` with the service key as bearer),
 * same service, same form, same values, 32 clients each keeping one request in flight, in
 * alternating slices of equal length (background load falls on both alike).
 *
 * What the ratio shows is what compatibility costs on top of the native path: the signature
 * (an HMAC per request, keys opened once per service and cached), the integer category id
 * lookup and the envelope. Each compat request is signed by the client just before it is sent.
 */
import { createHmac } from 'node:crypto'
import { benchLine, type BenchOptions, closedLoop, detail } from './lib.ts'
import { benchService, startTicketBench } from './ticket-setup.ts'

const CLIENTS = 32


export async function run(options: BenchOptions): Promise<string[]> {
  const bench = await startTicketBench(CLIENTS + 8)
  try {
    const svc = await benchService(bench, 'bench', 'compat')
    const state = await bench.call('GET', `${svc.api}/open-api`)
    const [category] = (await bench.call('GET', `/o/bench/compat/api/v2/ticket/categories.json`)).result.contents
    const values = { order_no: 'AB123456', quantity: 2, resident_no: '900101-1234567', privacy_consent: true }
    const requester = { email: 'kim@example.com', name: '김민수', usercode: 'U-1' }
    const title = '주문 취소 요청 order cancel'
    const content = '어제 주문한 상품을 취소하고 싶습니다. Please cancel my order from yesterday.'
    const nativeBody = JSON.stringify({ title, content, channel: 'web', requester, intakeCategoryId: svc.intakeCategoryId, fields: values })
    const compatBody = JSON.stringify({
      categoryId: category.categoryId,
      subject: title,
      content,
      endUser: { usercode: requester.usercode, email: requester.email, username: requester.name },
      source: 'web',
      userFields: Object.entries(values).map(([code, value]) => ({ code, value })),
    })
    const nativeUrl = `${bench.server.url}${svc.api}/ticket/tickets`
    const compatPath = '/o/bench/compat/openapi/v1/ticket.json'
    const compatUrl = `${bench.server.url}${compatPath}`
    const native = async () => {
      const res = await fetch(nativeUrl, { method: 'POST', headers: { authorization: `Bearer ${svc.serviceKey}`, 'content-type': 'application/json' }, body: nativeBody })
      if (res.status !== 201) throw new Error(`native-create: expected 201, got ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
    const compat = async () => {
      const timestamp = String(Date.now())
      const authorization = createHmac('sha256', svc.serviceKey).update(`${state.organizationId}${compatPath}${compatBody}${timestamp}`).digest('base64')
      const res = await fetch(compatUrl, { method: 'POST', headers: { authorization, 'x-tc-timestamp': timestamp, 'content-type': 'application/json' }, body: compatBody })
      if (res.status !== 200) throw new Error(`oc-compat-create: expected 200, got ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
    await closedLoop(CLIENTS, options.warmupSeconds, compat)
    await closedLoop(CLIENTS, options.warmupSeconds, native)
    const rounds = Math.max(2, Math.round(options.seconds))
    const slice = options.seconds / rounds
    let compatCount = 0
    let nativeCount = 0
    for (let round = 0; round < rounds; round++) {
      compatCount += await closedLoop(CLIENTS, slice, compat)
      nativeCount += await closedLoop(CLIENTS, slice, native)
    }
    const seconds = slice * rounds
    const compatRate = compatCount / seconds
    const nativeRate = nativeCount / seconds
    detail(`oc-compat-create: ${compatCount} compat and ${nativeCount} native tickets, ${seconds.toFixed(1)} s each, ${CLIENTS} clients${options.quick ? ' (quick mode: short slices)' : ''}`)
    return [benchLine('oc-compat-create', compatRate, 'req/s', [[compatRate / nativeRate, 'native-create']])]
  } finally {
    await bench.close()
  }
}
