import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { logRecordWriter, writeLogRecord, writeLogRecordWithNode } from './log-record-write'

describe('writing an update log record', () => {
	let dir: string
	let fd: number
	let file: string

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kompasbord-log-record-'))
		file = path.join(dir, 'records')
		fd = fs.openSync(file, 'w+')
	})
	afterEach(() => {
		fs.closeSync(fd)
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('goes through our addon where it is built (as on every machine that runs these tests)', () => {
		expect(logRecordWriter()).toBe('native')
	})

	it("checksums with zlib's CRC-32 and writes the same bytes Node's fs does, at the position asked", () => {
		// Sizes around the CRC's byte steps and a few records' worth, at positions after each other and past the end.
		let position = 0
		const expected: Buffer[] = []
		for (const size of [0, 1, 3, 4, 7, 8, 63, 700, 4096, 70_000]) {
			const record = Buffer.concat([randomBytes(size), Buffer.alloc(4, 0xaa)])
			writeLogRecord(fd, record, size, position)
			expect(record.readUInt32LE(size)).toBe(crc32(record.subarray(0, size)))
			expected.push(Buffer.from(record))
			position += size + 4
		}
		const written = fs.readFileSync(file)
		expect(written.equals(Buffer.concat(expected))).toBe(true)

		const byNode = path.join(dir, 'by-node')
		const nodeFd = fs.openSync(byNode, 'w+')
		try {
			let at = 0
			for (const record of expected) {
				const copy = Buffer.from(record)
				copy.fill(0, copy.length - 4)
				writeLogRecordWithNode(nodeFd, copy, copy.length - 4, at)
				at += copy.length
			}
		} finally {
			fs.closeSync(nodeFd)
		}
		expect(fs.readFileSync(byNode).equals(written)).toBe(true)
	})

	it('writes over what is there, where it is asked, and only the record', () => {
		fs.writeSync(fd, Buffer.alloc(64, 0x11))
		const record = Buffer.concat([Buffer.from('KLOG-record'), Buffer.alloc(4), Buffer.from('not written')])
		writeLogRecord(fd, record, 11, 20)
		const bytes = fs.readFileSync(file)
		expect(bytes.length).toBe(64)
		expect(bytes.subarray(0, 20).every((b) => b === 0x11)).toBe(true)
		expect(bytes.subarray(20, 31).toString()).toBe('KLOG-record')
		expect(bytes.readUInt32LE(31)).toBe(crc32(Buffer.from('KLOG-record')))
		expect(bytes.subarray(35).every((b) => b === 0x11)).toBe(true)
	})

	it("throws a failed write as fs does, with the system call's code", () => {
		const readOnly = fs.openSync(file, 'r')
		try {
			const record = Buffer.alloc(20)
			expect(() => writeLogRecord(readOnly, record, 16, 0)).toThrow(
				expect.objectContaining({ code: 'EBADF', syscall: 'write', message: 'EBADF: bad file descriptor, write' })
			)
			expect(() => writeLogRecordWithNode(readOnly, Buffer.alloc(20), 16, 0)).toThrow(
				expect.objectContaining({ code: 'EBADF' })
			)
		} finally {
			fs.closeSync(readOnly)
		}
	})

	it('refuses a record without room for its checksum, writing nothing', () => {
		expect(() => writeLogRecord(fd, Buffer.alloc(10), 7, 0)).toThrow(RangeError)
		expect(() => writeLogRecordWithNode(fd, Buffer.alloc(10), 7, 0)).toThrow(RangeError)
		expect(fs.statSync(file).size).toBe(0)
	})
})
