/**
 * Administrators may give text fields a regular expression, and it then runs on every customer's
 * input in the server's event loop. A pattern such as `(a+)+$` backtracks exponentially, so one
 * tenant's pattern could stall every tenant. Besides compiling it, we refuse the shapes that
 * cause catastrophic backtracking: a group repeated without a small bound that itself contains
 * a variable repetition or an alternation, and backreferences. This is a conservative heuristic
 * (it refuses a few harmless patterns such as `(\.(com|net))+`), which is the right side to err on.
 */

export type PatternCheck = { ok: true; regex: RegExp } | { ok: false; reason: string }

/** Field patterns are short: this keeps both the check and matching cheap. */
export const MAX_PATTERN_LENGTH = 200

interface Quantifier {
  readonly length: number
  readonly variable: boolean
  /** Repeats without a bound, or with a large one. */
  readonly repeating: boolean
}

/** Reads a quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy). */
function quantifierAt(pattern: string, i: number): Quantifier | null {
  const lazy = (length: number) => (pattern[i + length] === '?' ? length + 1 : length)
  const c = pattern[i]
  if (c === '*' || c === '+') return { length: lazy(1), variable: true, repeating: true }
  if (c === '?') return { length: lazy(1), variable: true, repeating: false }
  if (c !== '{') return null
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))
  if (!m) return null
  const min = Number(m[1])
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
  return { length: lazy(m[0].length), variable: max !== min, repeating: max >= 10 }
}

export function checkFieldPattern(pattern: string): PatternCheck {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `is longer than ${MAX_PATTERN_LENGTH} characters` }
  let regex: RegExp
  try {
    regex = new RegExp(pattern, 'u')
  } catch (error) {
    return { ok: false, reason: `does not compile as a JavaScript regular expression (Unicode mode): ${(error as Error).message}` }
  }
  interface Group {
    variable: boolean
    alternation: boolean
  }
  const stack: Group[] = [{ variable: false, alternation: false }]
  const top = () => stack[stack.length - 1]!
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]!
    let closed: Group | null = null
    if (c === '\\') {
      const next = pattern[i + 1] ?? ''
      if (/[1-9]/.test(next) || next === 'k') return { ok: false, reason: 'uses a backreference, which can make matching very slow; rewrite it without one' }
      i += 2
    } else if (c === '[') {
      i++
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1
      i++
    } else if (c === '(') {
      stack.push({ variable: false, alternation: false })
      i++
      continue
    } else if (c === ')') {
      closed = stack.length > 1 ? stack.pop()! : null
      i++
    } else if (c === '|') {
      top().alternation = true
      i++
      continue
    } else {
      i++
    }
    const q = quantifierAt(pattern, i)
    if (closed) {
      if (q?.repeating && (closed.variable || closed.alternation)) {
        return { ok: false, reason: 'repeats a group that itself repeats or has alternatives (like (a+)+ or (a|b)*), which can make matching very slow; simplify it' }
      }
      top().variable ||= closed.variable
      top().alternation ||= closed.alternation
    }
    if (q) {
      if (q.variable) top().variable = true
      i += q.length
    }
  }
  return { ok: true, regex }
}
