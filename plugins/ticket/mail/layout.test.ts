/**
 * The pure parts of outgoing mail: the ticket reference in subjects (the format the inbound side
 * parses), addresses and From headers, and layouts (compiled once, then a substitution that
 * inserts the reply verbatim).
 */
import { describe, expect, it } from 'vitest'
import { parseTicketReference, subjectWithReference, ticketReference } from './reference.ts'
import { domainOf, formatMailbox, isMailAddress } from './addresses.ts'
import { compileLayout } from './layout/compile.ts'
import { prepareLayout, renderInLayout, textToHtml } from './layout/render.ts'
import { mintMessageId } from './outgoing.ts'

describe('ticket reference', () => {
  it('puts [#number] before the subject once and finds it behind reply prefixes', () => {
    expect(ticketReference(123)).toBe('[#123]')
    expect(subjectWithReference(123, '환불 요청')).toBe('[#123] 환불 요청')
    expect(subjectWithReference(123, 'Re: [#123] 환불 요청')).toBe('Re: [#123] 환불 요청')
    expect(parseTicketReference('RE: 답장: [#123] 환불 요청')).toBe(123)
    expect(parseTicketReference('[#7] a [#8] b')).toBe(7)
    for (const none of ['#123 refund', '[#0123] x', '[#] x', '[# 12] x', '[#1234567890123456] too long', '']) expect(parseTicketReference(none)).toBeNull()
  })
})

describe('addresses', () => {
  it('accepts plain mailbox addresses only', () => {
    for (const good of ['support@shop.example', 'a.b+tag@mail.shop.co.kr']) expect(isMailAddress(good)).toBe(true)
    for (const bad of ['Support <support@shop.example>', 'support@shop', 'a..b@shop.example', '.a@shop.example', 'a@shop.example\r\nBcc: x@y.z', 'a b@shop.example']) expect(isMailAddress(bad)).toBe(false)
  })

  it('quotes display names and mints Message-IDs in the sender domain', () => {
    expect(formatMailbox('쇼핑몰 "고객센터" \\', 'support@shop.example')).toBe('"쇼핑몰 \\"고객센터\\" \\\\" <support@shop.example>')
    expect(formatMailbox(null, 'support@shop.example')).toBe('support@shop.example')
    expect(domainOf('Support@Shop.Example')).toBe('shop.example')
    expect(mintMessageId('help@Shop.Example', 't1', 'e1')).toBe('<ticket.t1.e1@shop.example>')
    expect(mintMessageId('help@shop.example')).toMatch(/^<[0-9a-f-]{36}@shop\.example>$/)
  })
})

describe('layouts', () => {
  it('inserts the reply verbatim at every slot, so codes in a reply stay text', async () => {
    const layout = prepareLayout(3, await compileLayout('html', '<header>#{content}</header><footer>#{content}</footer>'))
    expect(renderInLayout(layout, textToHtml('price: $& #{content} <script>'))).toBe(
      '<header>price: $&amp; #{content} &lt;script&gt;</header><footer>price: $&amp; #{content} &lt;script&gt;</footer>',
    )
  })

  it('ignores mj-include, so a layout cannot read the server files', async () => {
    const html = await compileLayout('mjml', '<mjml><mj-body><mj-include path="/etc/passwd" /><mj-section><mj-column><mj-text>#{content}</mj-text></mj-column></mj-section></mj-body></mjml>')
    expect(html).not.toContain('root:')
    expect(html).toContain('#{content}')
  })
})
