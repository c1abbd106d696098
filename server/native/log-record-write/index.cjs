'use strict'
/** `write(fd, record, end, position)`: one checksummed update log record; see log-record-write.c. Throws when the addon was not built. */
module.exports = require('./build/Release/log_record_write.node')
