/** For tests of plugin checks: the coded error a call throws, failing the test when it throws none or another kind. */
import { expect } from 'vitest'
import { PluginError } from '../../core/api/errors.ts'

export function pluginFailure(run: () => unknown): PluginError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError)
    return error as PluginError
  }
  throw new Error('expected a PluginError')
}
