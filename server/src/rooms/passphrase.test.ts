import { describe, expect, it } from 'vitest'
import { hashPassphrase, normalizePassphrase, passphraseLengthOk, verifyPassphrase } from './passphrase'

describe('room passphrase', () => {
	it('is stored salted, never in clear, and checked after normalising case and spaces', async () => {
		const stored = await hashPassphrase('Zonnebloem  Veld')
		expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
		expect(stored.toLowerCase()).not.toContain('zonnebloem')
		expect(await hashPassphrase('Zonnebloem  Veld')).not.toBe(stored)
		expect(await verifyPassphrase(' zonnebloem veld ', stored)).toBe(true)
		expect(await verifyPassphrase('ZONNEBLOEM VELD', stored)).toBe(true)
		expect(await verifyPassphrase('zonnebloemveld', stored)).toBe(false)
		expect(await verifyPassphrase('zonnebloem', stored)).toBe(false)
	})

	it('refuses a malformed stored value instead of throwing', async () => {
		expect(await verifyPassphrase('x', 'sha256$abc')).toBe(false)
		expect(await verifyPassphrase('x', 'scrypt$99999999$8$1$c2FsdA$aGFzaA')).toBe(false)
		expect(await verifyPassphrase('x', 'scrypt$16384$8$1$$')).toBe(false)
	})

	it('has a length of 4 to 100 characters once normalised', () => {
		expect(normalizePassphrase('\u00a0Café\tTerras ')).toBe('café terras')
		expect(passphraseLengthOk(normalizePassphrase('  abc '))).toBe(false)
		expect(passphraseLengthOk(normalizePassphrase('abcd'))).toBe(true)
		expect(passphraseLengthOk('x'.repeat(101))).toBe(false)
	})
})
