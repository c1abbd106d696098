import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ParticipantTokens, TOKEN_SECRET_FILE, loadTokenSecret } from './participant-tokens'

describe('ParticipantTokens', () => {
	const tokens = new ParticipantTokens('s'.repeat(32))

	it('issues a fresh participant per call and verifies it for its room only', () => {
		const a = tokens.issue('room-a', 1_700_000_000_000)
		const b = tokens.issue('room-a')
		expect(a.participantId).toMatch(/^[A-Za-z0-9_-]{22}$/)
		expect(a.participantId).not.toBe(b.participantId)
		expect(tokens.verify('room-a', a.token)).toEqual({ participantId: a.participantId, issuedAt: 1_700_000_000_000 })
		expect(tokens.verify('room-b', a.token)).toBeNull()
		expect(new ParticipantTokens('t'.repeat(32)).verify('room-a', a.token)).toBeNull()
	})

	it('refuses a token whose participant id, time or signature was changed', () => {
		const { token, participantId } = tokens.issue('room-a')
		const [prefix, , issued, mac] = token.split('.')
		const other = 'A'.repeat(22)
		expect(tokens.verify('room-a', [prefix, other, issued, mac].join('.'))).toBeNull()
		expect(tokens.verify('room-a', [prefix, participantId, '1', mac].join('.'))).toBeNull()
		expect(
			tokens.verify(
				'room-a',
				[prefix, participantId, issued, `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`].join('.')
			)
		).toBeNull()
		for (const bad of [null, '', 'p1', `v1.${mac}`, `${token}.x`, 'x'.repeat(300)])
			expect(tokens.verify('room-a', bad)).toBeNull()
	})

	it('derives one view token per room and facilitator key hash', () => {
		const view = tokens.viewToken('room-a', 'ab'.repeat(32))
		expect(tokens.viewToken('room-a', 'ab'.repeat(32))).toBe(view)
		expect(tokens.verifyViewToken('room-a', 'ab'.repeat(32), view)).toBe(true)
		expect(tokens.verifyViewToken('room-b', 'ab'.repeat(32), view)).toBe(false)
		expect(tokens.verifyViewToken('room-a', 'cd'.repeat(32), view)).toBe(false)
		expect(tokens.verify('room-a', view)).toBeNull()
	})
})

describe('loadTokenSecret', () => {
	const dirs: string[] = []
	afterEach(() => {
		for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
	})

	it('makes a secret on first start and keeps it, unless one is configured', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-secret-'))
		dirs.push(dir)
		const first = loadTokenSecret(dir, null)
		expect(first).toHaveLength(32)
		expect(fs.statSync(path.join(dir, TOKEN_SECRET_FILE)).mode & 0o777).toBe(0o600)
		expect(loadTokenSecret(dir, null).equals(first)).toBe(true)
		expect(loadTokenSecret(dir, 'c'.repeat(40)).toString()).toBe('c'.repeat(40))
	})
})
