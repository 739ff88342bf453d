/**
 * The file system a theme's templates see: its own templates, by name, and nothing else. No
 * directory, no disk, no URL: `include`, `render` and `layout` of a name the theme does not
 * hold (`../x`, `/etc/passwd`, `https://…`, `constructor`) fail as a missing file. Names are
 * looked up in a Map, never on an object, so prototype keys are not templates.
 */
import type { FS } from 'liquidjs'

/** A template name: lower-case letters, digits and `_`, starting with a letter. */
export const TEMPLATE_NAME = /^[a-z][a-z0-9_]{0,39}$/

/** Stands for every name that is not a template of the theme; never a key of the map. */
const NOWHERE = '\u0000'

export function themeFs(templates: ReadonlyMap<string, string>): FS {
  const read = (name: string) => {
    const source = templates.get(name)
    if (source === undefined) throw new Error(`the theme has no template named '${name === NOWHERE ? '(outside the theme)' : name}'`)
    return source
  }
  return {
    sep: '/',
    resolve: (_dir, file) => (TEMPLATE_NAME.test(file) && templates.has(file) ? file : NOWHERE),
    existsSync: (name) => templates.has(name),
    exists: async (name) => templates.has(name),
    readFileSync: read,
    readFile: async (name) => read(name),
    containsSync: () => true,
    contains: async () => true,
    dirname: () => '.',
  }
}
