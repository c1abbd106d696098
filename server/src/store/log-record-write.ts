import fs from 'node:fs'
import { createRequire } from 'node:module'
import { getSystemErrorMap } from 'node:util'
import { crc32 } from 'node:zlib'

/**
 * Writes one record of the update log (update-log.ts): the CRC-32 of `record[0, end)` goes little-endian into
 * `record[end, end + 4)`, then `record[0, end + 4)` is written at `position` of `fd`, whole. Throws an error with
 * the `code` of the failed system call (`ENOSPC` on a full disk), as `fs.writeSync` does.
 *
 * Through our N-API addon `server/native/log-record-write` (C, built by node-gyp at install) when it is built: one
 * call that checksums and `pwrite`s. Every update is logged on its way to the room's other peers, at a workshop's
 * pace, when everything the write touches is cold: there `fs.writeSync` (its argument checks, its request object,
 * its error context) and `zlib.crc32` (a second call into C++) took 40–73 µs and 10 µs (p50, caches flushed between
 * writes) where the addon takes 18 (docs/benchmarks.md, finding 26). Optional: without it (no C compiler at
 * install) the record is written with `zlib.crc32` and `fs.writeSync`, the same bytes.
 */
export function writeLogRecord(fd: number, record: Buffer, end: number, position: number): void {
	if (addon) {
		const written = addon.write(fd, record, end, position)
		if (written < 0) throw systemError(-written)
		return
	}
	writeLogRecordWithNode(fd, record, end, position)
}

/** Whether records are written through the addon (`native`) or Node's `fs` (`node`): the server logs it at start. */
export function logRecordWriter(): 'native' | 'node' {
	return addon ? 'native' : 'node'
}

/** {@link writeLogRecord} with Node's own zlib.crc32 and fs.writeSync: the addon's fallback, and its tests' yardstick. */
export function writeLogRecordWithNode(fd: number, record: Buffer, end: number, position: number): void {
	if (end + CRC_BYTES > record.length) throw new RangeError('write: no room for the checksum')
	record.writeUInt32LE(crc32(record.subarray(0, end)), end)
	const total = end + CRC_BYTES
	let written = 0
	while (written < total) written += fs.writeSync(fd, record, written, total - written, position + written)
}

const CRC_BYTES = 4

/** The addon's interface (server/native/log-record-write). */
interface LogRecordWriteAddon {
	/** Checksums and writes the record; returns the bytes written, or -errno. */
	write(fd: number, record: Buffer, end: number, position: number): number
}

function loadAddon(): LogRecordWriteAddon | null {
	try {
		return createRequire(import.meta.url)('@kompasbord/log-record-write') as LogRecordWriteAddon
	} catch {
		return null
	}
}

const addon = loadAddon()

/**
 * An error like the ones `fs` throws for a failed system call (`ENOSPC: no space left on device, write`), named and
 * worded by libuv's table as Node's own are (`util.getSystemErrorMap`).
 */
function systemError(errno: number): NodeJS.ErrnoException {
	const [code, text] = getSystemErrorMap().get(-errno) ?? [`E${errno}`, `error ${errno}`]
	return Object.assign(new Error(`${code}: ${text}, write`), { code, errno: -errno, syscall: 'write' })
}
