/**
 * The project's TypeScript sources and the relative imports between them (`import`, `export
 * ... from`, `import type`, dynamic `import('./x.ts')`), read as text: enough to check the
 * layering rules of ARCHITECTURE.md §1 without a compiler.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..', '..')

export interface SourceFile {
  /** Relative to the project root, with `/`. */
  readonly path: string
  readonly text: string
  /** Relative imports, resolved to project paths. */
  readonly imports: readonly string[]
  /** Bare specifiers (`hono`, `node:fs`, `opencontact`). */
  readonly packages: readonly string[]
}

const SPECIFIER = /(?:\bimport|\bexport)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm

export const isTest = (path: string) => /\.test(-d)?\.ts$|\/test-bed\.ts$|\/test-support\.ts$|\/test-fixture\.ts$/.test(path)

export function sourceFiles(folders: readonly string[]): SourceFile[] {
  const paths: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) paths.push(relative(ROOT, full).split('\\').join('/'))
    }
  }
  for (const folder of folders) walk(join(ROOT, folder))
  return paths.sort().map((path) => {
    const text = readFileSync(join(ROOT, path), 'utf8')
    const imports: string[] = []
    const packages: string[] = []
    for (const match of withoutComments(text).matchAll(SPECIFIER)) {
      const specifier = (match[1] ?? match[2] ?? match[3])!
      if (specifier.startsWith('.')) imports.push(relative(ROOT, resolve(ROOT, dirname(path), specifier)).split('\\').join('/'))
      else packages.push(specifier)
    }
    return { path, text, imports, packages }
  })
}

/** The text with `//` and block comments blanked (strings are kept; a `//` inside one is rare enough in this code base). */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
}

/** Every import circle (strongly connected set of two or more files, or a file importing itself), each sorted. */
export function importCircles(files: readonly SourceFile[]): string[][] {
  const graph = new Map(files.map((f) => [f.path, f.imports]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  let next = 0
  // Iterative Tarjan: the graph is deep enough to make recursion a risk.
  for (const start of graph.keys()) {
    if (index.has(start)) continue
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }]
    index.set(start, next)
    low.set(start, next++)
    stack.push(start)
    onStack.add(start)
    while (work.length) {
      const frame = work[work.length - 1]!
      const edges = (graph.get(frame.node) ?? []).filter((t) => graph.has(t))
      if (frame.edge < edges.length) {
        const target = edges[frame.edge++]!
        if (!index.has(target)) {
          index.set(target, next)
          low.set(target, next++)
          stack.push(target)
          onStack.add(target)
          work.push({ node: target, edge: 0 })
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!))
      if (low.get(frame.node) === index.get(frame.node)) {
        const members: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          members.push(member)
        } while (member !== frame.node)
        const selfImport = members.length === 1 && (graph.get(frame.node) ?? []).includes(frame.node)
        if (members.length > 1 || selfImport) circles.push(members.sort())
      }
    }
  }
  return circles
}
