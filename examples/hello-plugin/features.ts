import { z } from 'opencontact'

/** What a contract can switch for this plugin beyond on/off: shouting greetings. */
export const helloFeatures = {
  loud: z.boolean().default(false),
}
