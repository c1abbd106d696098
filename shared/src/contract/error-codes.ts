/**
 * Every error code the server answers with, in `{"error":{"code","message"}}` (HTTP) or in the JSON body of a
 * refused websocket upgrade. Clients look messages up by these codes, so a code is part of the contract: add
 * one here before the server may send it (the server's `httpError` takes only these). No dependency, so the
 * phone page may import it.
 *
 * @packageDocumentation
 */

/** The error codes, grouped by what they are about. */
export const ERROR_CODES = [
	// Any route
	'bad_request',
	'invalid_json',
	'body_too_large',
	'unsupported_media_type',
	'not_found',
	'rate_limited',
	'internal',
	'shutting_down',
	'store_unavailable',
	// Websocket upgrades (the JSON body of a refused upgrade)
	'too_many_rooms',
	'too_many_connections',
	'credential_required',
	'bad_view_token',
	// Credentials
	'unauthorized',
	'forbidden',
	'bad_key',
	'participant_token_required',
	'bad_participant_token',
	// Rooms and joining
	'room_not_found',
	'unknown_template',
	'no_join_code',
	'join_code_not_found',
	'session_closed',
	'room_full',
	// Who gets in: the room's passphrase and the join code's expiry
	'passphrase_required',
	'wrong_passphrase',
	'join_code_expired',
	'bad_passphrase',
	'bad_expiry',
	// Notes
	'note_not_found',
	'not_your_note',
	'participant_required',
	'client_note_id_conflict',
	'unknown_zone',
	'empty_text',
	'text_too_long',
	'invalid_color',
	'nothing_to_change',
	// Session
	'bad_phase',
	'bad_timer_seconds',
	'bad_timer_action',
	'bad_votes_per_participant',
	'no_timer',
	'zone_required',
	// Focus
	'target_required',
	'not_focusable',
	'no_focus',
	// Themes
	'themes_not_allowed',
	// Votes
	'not_voting',
	'no_votes_left',
	'no_vote',
	// Score rounds
	'no_score_round',
	'score_round_closed',
	'unknown_part',
	'score_out_of_range',
	// Moderation
	'not_hidden',
	// Screening
	'not_awaiting_review',
	'bad_word_list',
	// Exports
	'invalid_image',
	// Trajects
	'traject_not_found',
	'invalid_title',
	'invalid_query',
	'not_offered',
	'no_snapshot',
] as const

/** An error code of the contract (the type is derived from its schema in `./schemas`). */
import type { ErrorCode } from './schemas'

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES)

/** Whether a string is one of the contract's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && KNOWN.has(value)
}
