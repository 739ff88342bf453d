import { z } from 'opencontact'

/** Events carry plain data; they are delivered at least once, so receivers dedupe by event id. */
export const helloEvents = {
  'hello.greeted': z.object({ greetingId: z.string(), name: z.string(), text: z.string() }),
}
