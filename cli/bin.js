#!/usr/bin/env node
// The `opencontact` command: the sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api'

register()
await import('./main.ts')
