/**
 * A room's passphrase (issue 18, "who gets in"): what participants type once per device before they get a
 * participant token. Only a salted scrypt hash is stored (`scrypt$N$r$p$<salt>$<hash>`, base64url), never the
 * passphrase; checking it is constant-time. What counts is the passphrase normalised: Unicode NFKC, case folded,
 * runs of white space as one space, trimmed — so a phone that capitalises the first letter or adds a space still
 * gets in.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { MAX_PASSPHRASE, MIN_PASSPHRASE } from '@kompasbord/shared'

/** scrypt's cost: 2^14 (16 MB, tens of milliseconds), run on libuv's thread pool, never on the event loop. */
const COST = { N: 16384, r: 8, p: 1 } as const
const KEY_BYTES = 32
const SALT_BYTES = 16

function scrypt(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scryptCallback(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)))
	)
}

/** The passphrase as it is compared: NFKC, lower case, inner white space as one space, trimmed. */
export function normalizePassphrase(typed: string): string {
	return typed.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()
}

/** Whether a normalised passphrase has an allowed length ({@link MIN_PASSPHRASE}–{@link MAX_PASSPHRASE} characters). */
export function passphraseLengthOk(normalised: string): boolean {
	const length = [...normalised].length
	return length >= MIN_PASSPHRASE && length <= MAX_PASSPHRASE
}

/** The stored form of a passphrase: a fresh salt and its scrypt hash. */
export async function hashPassphrase(typed: string): Promise<string> {
	const salt = randomBytes(SALT_BYTES)
	const key = await scrypt(normalizePassphrase(typed), salt, KEY_BYTES, { ...COST, maxmem: 64 * 1024 * 1024 })
	return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Whether `typed` is the passphrase of `stored` (false for a malformed stored value). */
export async function verifyPassphrase(typed: string, stored: string): Promise<boolean> {
	const parts = stored.split('$')
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false
	const [N, r, p] = parts.slice(1, 4).map(Number)
	if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 1 << 20 || r > 32 || p > 16) return false
	const salt = Buffer.from(parts[4], 'base64url')
	const expected = Buffer.from(parts[5], 'base64url')
	if (salt.length === 0 || expected.length === 0) return false
	const key = await scrypt(normalizePassphrase(typed), salt, expected.length, {
		N,
		r,
		p,
		maxmem: 256 * N * r + 1024 * 1024,
	})
	return timingSafeEqual(key, expected)
}
