/** Turns a failed API answer into a sentence for the person holding the phone. */
import type { ApiResult } from './api'
import type { Strings } from './strings'

type Failure = Extract<ApiResult<unknown>, { ok: false }>

/**
 * The message for a failed call, in the page's language. `action` says what failed: sending a note (which the
 * outbox retries by itself) or changing one (which the person retries).
 */
export function failureMessage(failure: Failure, t: Strings, action: 'send' | 'change' = 'send'): string {
	if (failure.kind === 'network') return t.errors.network
	switch (failure.code) {
		case 'rate_limited': {
			const seconds = failure.retryAfterSeconds ?? 30
			return action === 'send' ? t.errors.rateLimitedNotes(seconds) : t.errors.rateLimitedChange(seconds)
		}
		case 'join_code_not_found':
			return t.errors.codeUnknown
		case 'join_code_expired':
			return t.errors.codeExpired
		case 'wrong_passphrase':
			return t.errors.wrongPassphrase
		case 'passphrase_required':
			return t.errors.passphraseEmpty
		case 'room_not_found':
			return t.errors.roomNotFound
		case 'empty_text':
			return t.errors.emptyText
		case 'text_too_long':
			return t.errors.textTooLong
		case 'unknown_zone':
			return t.errors.unknownZone
		case 'session_closed':
			return t.errors.sessionClosed
		case 'room_full':
			return t.errors.roomFull
		case 'not_your_note':
			return t.errors.notYourNote
		case 'note_not_found':
			return t.errors.noteNotFound
		default:
			return t.errors.generic
	}
}

/**
 * The message for a join that failed: a 429 there means "too many unknown codes", or — once the passphrase was
 * asked for (`passphraseStep`) — "too many wrong passphrases".
 */
export function joinFailureMessage(failure: Failure, t: Strings, passphraseStep = false): string {
	if (failure.kind === 'http' && failure.code === 'rate_limited') {
		const minutes = Math.max(1, Math.ceil((failure.retryAfterSeconds ?? 60) / 60))
		return passphraseStep ? t.errors.rateLimitedPassphrase(minutes) : t.errors.rateLimitedJoin(minutes)
	}
	return failureMessage(failure, t)
}
