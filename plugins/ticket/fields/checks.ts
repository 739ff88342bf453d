/**
 * Checks on field definitions that need the service (its languages) or the stored field
 * (its type, whether it is a system field), beyond what the request schemas check.
 */
import type { FieldIssue, Service } from '../../../core/mod.ts'
import { localizedIssues, type LocalizedText } from '../shared/localized.ts'
import type { ChoiceDetails, FieldDetails } from './types.ts'

type Languages = Pick<Service, 'languages' | 'defaultLanguage'>

/** Names (default language required), help texts and placeholders in the service's languages only. */
export function textIssues(input: { names?: LocalizedText | undefined; descriptions?: LocalizedText | undefined; placeholders?: LocalizedText | undefined }, service: Languages): FieldIssue[] {
  return [
    ...(input.names ? localizedIssues(input.names, 'body.names', service, { requireDefault: true }) : []),
    ...localizedIssues(input.descriptions, 'body.descriptions', service, { requireDefault: false }),
    ...localizedIssues(input.placeholders, 'body.placeholders', service, { requireDefault: false }),
  ]
}

/** Option names in the service's languages, each with a label in the default language. */
export function optionLabelIssues(details: FieldDetails | undefined, service: Languages): FieldIssue[] {
  const options = (details as Partial<ChoiceDetails> | undefined)?.options ?? []
  return options.flatMap((option, index) => localizedIssues(option.names, `body.details.options.${index}.names`, service, { requireDefault: true }))
}
