import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** Prefix of a participant token (`p1.<participantId>.<issuedAt>.<signature>`). */
const PARTICIPANT_PREFIX = 'p1'
/** Prefix of a view token (`v1.<signature>`). */
const VIEW_PREFIX = 'v1'
/** A participant id as the server makes them: 22 url-safe characters (128 random bits). */
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{22}$/
/** The file in DATA_DIR that keeps the generated secret across restarts. */
export const TOKEN_SECRET_FILE = 'participant-token.secret'

/** What a valid participant token says. */
export interface ParticipantIdentity {
	participantId: string
	/** When the token was issued (ms since the epoch). */
	issuedAt: number
}

/** A new token of {@link ParticipantTokens.issue}. */
export interface IssuedParticipant extends ParticipantIdentity {
	token: string
}

function signature(secret: Buffer, ...parts: string[]): string {
	return createHmac('sha256', secret).update(parts.join('\u0000'), 'utf8').digest('base64url')
}

function sameText(a: string, b: string): boolean {
	const x = Buffer.from(a, 'utf8')
	const y = Buffer.from(b, 'utf8')
	return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The server's signed capabilities below the facilitator key, all HMAC-SHA256 with one server secret:
 *
 * - a **participant token** names a participant id the server chose, for one room:
 *   `p1.<participantId>.<issuedAt base36>.<HMAC(roomId, participantId, issuedAt)>`. Votes, note ownership and
 *   rate limits key on the id inside it, never on an id a client sends;
 * - a **view token** lets its holder watch one room, nothing more: `v1.<HMAC('view', roomId, facilitatorKeyHash)>`.
 *   It is derived, not stored: the facilitator can be given it again at any time, and it changes with the key.
 *
 * Nothing here is stored per participant; a token stays valid as long as the secret does.
 */
export class ParticipantTokens {
	private readonly secret: Buffer

	constructor(secret: string | Buffer) {
		this.secret = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret
	}

	/** A new participant of `roomId`: a fresh random id and its token. */
	issue(roomId: string, now = Date.now()): IssuedParticipant {
		const participantId = randomBytes(16).toString('base64url')
		const issued = now.toString(36)
		const token = `${PARTICIPANT_PREFIX}.${participantId}.${issued}.${signature(this.secret, PARTICIPANT_PREFIX, roomId, participantId, issued)}`
		return { participantId, issuedAt: now, token }
	}

	/** The participant a token names, when it is a valid token of `roomId`; null otherwise. */
	verify(roomId: string, token: string | null | undefined): ParticipantIdentity | null {
		if (!token || token.length > 200) return null
		const parts = token.split('.')
		if (parts.length !== 4 || parts[0] !== PARTICIPANT_PREFIX) return null
		const [, participantId, issued, mac] = parts
		if (!PARTICIPANT_ID.test(participantId) || !/^[0-9a-z]{1,12}$/.test(issued)) return null
		if (!sameText(mac, signature(this.secret, PARTICIPANT_PREFIX, roomId, participantId, issued))) return null
		return { participantId, issuedAt: Number.parseInt(issued, 36) }
	}

	/** The view token of a room (see the class comment). */
	viewToken(roomId: string, facilitatorKeyHash: string): string {
		return `${VIEW_PREFIX}.${signature(this.secret, 'view', roomId, facilitatorKeyHash)}`
	}

	/** Whether `token` is the room's view token. */
	verifyViewToken(roomId: string, facilitatorKeyHash: string, token: string | null | undefined): boolean {
		if (!token || token.length > 100) return false
		return sameText(token, this.viewToken(roomId, facilitatorKeyHash))
	}
}

/**
 * The token secret: `configured` (`PARTICIPANT_TOKEN_SECRET`, for several servers sharing rooms) or else the
 * one in `<dataDir>/participant-token.secret`, made on first start (32 random bytes, mode 0600), so tokens
 * outlive restarts.
 */
export function loadTokenSecret(dataDir: string, configured: string | null): Buffer {
	if (configured) return Buffer.from(configured, 'utf8')
	const file = path.join(dataDir, TOKEN_SECRET_FILE)
	fs.mkdirSync(dataDir, { recursive: true })
	try {
		fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 })
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
	}
	const text = fs.readFileSync(file, 'utf8').trim()
	if (!/^[0-9a-f]{64}$/.test(text))
		throw new Error(`${file} does not hold a token secret (64 hex characters); remove it to make a new one`)
	return Buffer.from(text, 'hex')
}
