/** The core's version; plugins declare the range they work with in `core`. */
export const CORE_VERSION = '1.0.0'
