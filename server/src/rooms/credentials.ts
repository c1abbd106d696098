import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { nanoid } from 'nanoid'

/** Join-code alphabet: no look-alikes (no 0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
/** Length of a join code. */
export const JOIN_CODE_LENGTH = 6

/** A new room id: nanoid, 21 characters. */
export function newRoomId(): string {
	return nanoid(21)
}

/** A new facilitator key: 32 url-safe characters (192 random bits). */
export function newFacilitatorKey(): string {
	return randomBytes(24).toString('base64url')
}

/** A random join code of {@link JOIN_CODE_LENGTH} characters from {@link JOIN_CODE_ALPHABET}. */
export function newJoinCode(): string {
	let code = ''
	for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]
	return code
}

/** Normalises what a person typed as a join code (case, spaces, dashes); null when it cannot be one. */
export function normalizeJoinCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '')
	if (code.length !== JOIN_CODE_LENGTH) return null
	for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null
	return code
}

/** SHA-256 hex of a facilitator key; only this is stored. */
export function hashKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** Whether `key` matches the stored hash (constant-time comparison). */
export function verifyKey(key: string | undefined | null, storedHash: string): boolean {
	if (!key) return false
	const a = Buffer.from(hashKey(key), 'hex')
	const b = Buffer.from(storedHash, 'hex')
	return a.length === b.length && timingSafeEqual(a, b)
}
