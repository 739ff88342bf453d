/**
 * Versions. `CORE_VERSION` is the plugin contract's version: plugins declare the range they work
 * with in `core`. `PACKAGE_VERSION` is the release, from package.json (what `/healthz` reports);
 * a JSON import, so Node, Deno and a Workers bundle (esbuild inlines it) all read the same file.
 */
import pkg from '../package.json' with { type: 'json' }

export const CORE_VERSION = '1.0.0'

export const PACKAGE_VERSION: string = pkg.version
