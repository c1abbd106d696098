'use strict'
/** `trim()`: glibc's malloc_trim(0); see malloc-trim.c. Throws when the addon was not built. */
module.exports = require('./build/Release/malloc_trim.node')
