/**
 * IMAP receiving against a real dovecot on loopback, on both drivers, through the scheduled
 * `poll-imap` job: unseen mail appended to the mailbox becomes tickets on the next poll (mail
 * already read before the account was connected does not), a reply in the mailbox threads onto
 * its ticket, a second poll takes nothing twice (also not the same message filed again), every
 * message taken is flagged \Seen and none is deleted, and a refused login is recorded on the
 * account. A poisoned message (one storage refuses) is set aside and flagged `$OcSetAside`, and
 * the mail after it is still taken on the same poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImapFlow } from 'imapflow'
import { DRIVERS } from '../../../../test/support/databases.ts'
import { startImapServer, type TestImapServer } from '../../../../test/support/imap.ts'
import { ok } from '../../test-support.ts'
import { mailBed, poisonedSender, rawMail, type MailBed } from './test-bed.ts'
import { PNG } from '../../../../test/support/files.ts'

describe.each(DRIVERS)('incoming mail over IMAP on %s', (driver) => {
  let bed: MailBed
  let imap: TestImapServer
  let accountId: string
  // Job ticks are minutes apart, from a fixed start, so each runDue is a new tick of `poll-imap`.
  let minute = 0
  const start = Date.UTC(2030, 0, 1, 9, 0, 0)
  const poll = async () => {
    const ran = await bed.runJobs(new Date(start + ++minute * 60_000))
    expect(ran).toContain('ticket:poll-imap')
  }
  const emailTickets = async () => (await ok(bed.call(`${bed.api}/ticket/tickets?channel=email&sort=created:asc&limit=200`, { token: bed.agentToken }))).tickets as any[]
  const account = async () => ok(bed.call(`${bed.api}/ticket/mail/accounts/${accountId}`))

  beforeAll(async () => {
    imap = await startImapServer()
    bed = await mailBed(driver, 'imap-in')
    const made = await ok(
      bed.call(`${bed.api}/ticket/mail/accounts`, {
        body: { address: 'support@shop.example', imap: { host: imap.host, port: imap.port, secure: false, user: imap.user, password: imap.password, mailbox: 'INBOX', enabled: true } },
      }),
      201,
    )
    accountId = made.id
  }, 60_000)
  afterAll(async () => {
    await bed?.t.close()
    await imap?.stop()
  })

  it('turns unseen mail into tickets on the next poll, threads a reply, never takes a message twice and flags what it took \\Seen', async () => {
    // Read before the account was connected: history, not new work.
    const old = await imap.append(rawMail({ subject: 'Old, already read', messageId: '<old-1@customer.example>' }))
    await withMailbox(imap, (client) => client.messageFlagsAdd(String(old), ['\\Seen'], { uid: true }))
    const firstId = `<first-${crypto.randomUUID()}@customer.example>`
    await imap.append(rawMail({ from: 'Park <park@customer.example>', subject: 'Refund please', messageId: firstId, text: 'I want a refund.' }))
    await imap.append(rawMail({ from: 'choi@customer.example', subject: 'Login problem', text: 'I cannot log in.', attachments: [{ fileName: 'screen.png', contentType: 'image/png', content: PNG }] }))
    await imap.append(rawMail({ subject: 'Away', headers: { 'Auto-Submitted': 'auto-replied' } }))

    await poll()
    const tickets = await emailTickets()
    expect(tickets.map((t) => [t.title, t.requester.email, t.channel])).toEqual([
      ['Refund please', 'park@customer.example', 'email'],
      ['Login problem', 'choi@customer.example', 'email'],
    ])
    const files = await ok(bed.call(`${bed.api}/ticket/tickets/${tickets[1].id}/entries`, { token: bed.agentToken }))
    expect(files.attachments.map((a: any) => a.fileName)).toEqual(['screen.png'])
    const flags = await imap.flags()
    expect([...flags.values()].every((f) => f.has('\\Seen'))).toBe(true)
    expect(await imap.count()).toBe(4)
    const state = (await account()).imap.state
    expect(state).toMatchObject({ lastUid: 4, error: null })
    expect(state.uidValidity).toEqual(expect.any(Number))

    // The customer answers; the same first mail is also filed again (another copy, new UID).
    const replyUid = await imap.append(rawMail({ from: 'park@customer.example', subject: 'Re: Refund please', inReplyTo: firstId, references: firstId, text: 'Order number is AB-77.' }))
    await imap.append(rawMail({ from: 'Park <park@customer.example>', subject: 'Refund please', messageId: firstId, text: 'I want a refund.' }))
    await poll()
    expect((await emailTickets()).length).toBe(2)
    const conversation = await ok(bed.call(`${bed.api}/ticket/tickets/${tickets[0].id}/entries`, { token: bed.agentToken }))
    expect(conversation.entries.map((e: any) => [e.kind, e.content])).toEqual([['customer-reply', 'Order number is AB-77.']])
    expect((await imap.flags()).get(replyUid)?.has('\\Seen')).toBe(true)
    expect((await account()).imap.state.lastUid).toBe(6)

    // Nothing new: nothing happens.
    const before = await bed.t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM tickets)::int + (SELECT count(*) FROM ticket_entries)::int AS n')
    await poll()
    expect(await bed.t.db.query('SELECT (SELECT count(*) FROM tickets)::int + (SELECT count(*) FROM ticket_entries)::int AS n')).toEqual(before)
    expect(await imap.count()).toBe(6)

    // Mail read by someone in a mail client after the cursor was set is still taken in.
    const readElsewhere = await imap.append(rawMail({ from: 'yoon@customer.example', subject: 'Opened in webmail first' }))
    await withMailbox(imap, (client) => client.messageFlagsAdd(String(readElsewhere), ['\\Seen'], { uid: true }))
    await poll()
    expect((await emailTickets()).map((t) => t.title)).toContain('Opened in webmail first')
  })

  it('records a refused login on the account and takes nothing', async () => {
    await ok(bed.call(`${bed.api}/ticket/mail/accounts/${accountId}`, {
      method: 'PUT',
      body: { address: 'support@shop.example', imap: { host: imap.host, port: imap.port, secure: false, user: imap.user, password: 'wrong password', mailbox: 'INBOX', enabled: true } },
    }))
    await imap.append(rawMail({ subject: 'Sent while the password was wrong' }))
    const count = (await emailTickets()).length
    await poll()
    expect((await emailTickets()).length).toBe(count)
    expect((await account()).imap.state.error).toMatch(/login refused/)
  })
})

describe.each(DRIVERS)('a poisoned message in an IMAP mailbox on %s', (driver) => {
  let bed: MailBed
  let imap: TestImapServer
  beforeAll(async () => {
    imap = await startImapServer()
    bed = await mailBed(driver, 'imap-poison')
  }, 60_000)
  afterAll(async () => {
    await bed?.t.close()
    await imap?.stop()
  })

  it('yields one ticket and one set-aside message on the first poll, flags the poisoned one and moves the cursor past both', async () => {
    const poisonId = `<poison-${crypto.randomUUID()}@customer.example>`
    const poisoned = await imap.append(rawMail({ from: poisonedSender(), subject: 'Poisoned', messageId: poisonId }))
    const ordinary = await imap.append(rawMail({ from: 'han@customer.example', subject: 'After the poison', text: 'Plain mail.' }))
    const made = await ok(
      bed.call(`${bed.api}/ticket/mail/accounts`, {
        body: { address: 'support@shop.example', imap: { host: imap.host, port: imap.port, secure: false, user: imap.user, password: imap.password, mailbox: 'INBOX', enabled: true } },
      }),
      201,
    )
    const start = Date.UTC(2030, 0, 1, 9, 0, 0)
    expect(await bed.runJobs(new Date(start + 60_000))).toContain('ticket:poll-imap')

    const tickets = (await ok(bed.call(`${bed.api}/ticket/tickets?channel=email`, { token: bed.agentToken }))).tickets as any[]
    expect(tickets.map((t) => t.title)).toEqual(['After the poison'])
    const setAside = (await ok(bed.call(`${bed.api}/ticket/mail/set-aside`))).messages as any[]
    expect(setAside).toEqual([expect.objectContaining({ messageId: poisonId, subject: 'Poisoned', source: 'imap', accountId: made.id, error: expect.objectContaining({ code: '54000' }) })])
    const flags = await imap.flags()
    expect([...flags.get(poisoned)!].sort()).toEqual(['$OcSetAside', '\\Seen'])
    expect(flags.get(ordinary)!.has('$OcSetAside')).toBe(false)
    expect(flags.get(ordinary)!.has('\\Seen')).toBe(true)
    const state = (await ok(bed.call(`${bed.api}/ticket/mail/accounts/${made.id}`))).imap.state
    expect(state).toMatchObject({ lastUid: ordinary, error: null })

    // The next poll takes neither again.
    expect(await bed.runJobs(new Date(start + 120_000))).toContain('ticket:poll-imap')
    expect((await ok(bed.call(`${bed.api}/ticket/mail/set-aside`))).messages).toHaveLength(1)
    expect((await ok(bed.call(`${bed.api}/ticket/tickets?channel=email`, { token: bed.agentToken }))).tickets).toHaveLength(1)
  })
})

async function withMailbox<T>(imap: TestImapServer, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, doSTARTTLS: false, auth: { user: imap.user, pass: imap.password }, logger: false })
  await client.connect()
  const lock = await client.getMailboxLock('INBOX')
  try {
    return await fn(client)
  } finally {
    lock.release()
    await client.logout()
  }
}
