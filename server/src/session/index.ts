import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Room } from '../rooms/room'
import { PhoneSightings } from './connected'
import { HeldNotes } from './held-notes'
import { CanvasNotes } from './canvas-notes'
import { Moderation } from './moderation'
import { ScoreService } from './score-service'
import { ScreeningService } from './screening'
import { SessionService } from './session-service'
import { VoteService } from './vote-service'

export { guardAwarenessUpdate } from './awareness-guard'
export { connectedCounts, PhoneSightings, PHONE_SEEN_MS } from './connected'
export { HeldNotes, canvasClientNoteId, type CanvasNoteOutcome } from './held-notes'
export { Moderation } from './moderation'
export { RoomQueue } from './room-queue'
export { ScoreService } from './score-service'
export { ScreeningService } from './screening'
export { DEFAULT_SCREENING_WORDS, flagsOf, normalizeWordList } from './screening-words'
export { SessionService, type PatchResult } from './session-service'
export {
	applySessionPatch,
	readSessionState,
	sessionTag,
	writeSessionState,
	MAX_TIMER_SECONDS,
	MAX_VOTES_PER_PARTICIPANT,
	SESSION_PHASES,
	type SessionEffects,
	type SessionPatch,
	type TimerAction,
} from './session-state'
export { waitForSessionChange, MAX_SESSION_WAIT_SECONDS } from './session-watch'
export { VoteService } from './vote-service'

/**
 * Whether new notes of the room are held back now (private writing). The note service asks this for every
 * new phone note (its `holdNotes` option).
 */
export function isPrivateWriting(room: Room): boolean {
	return room.meta.closedAt === null && room.sessionSnapshot().phase === 'private'
}

/**
 * Whether participants' new notes wait for the facilitator now ("Notities eerst bekijken"). The note service asks
 * this for every new phone note (its `screenNotes` option), after {@link isPrivateWriting}.
 */
export function isScreening(room: Room): boolean {
	return room.meta.closedAt === null && room.sessionSnapshot().screening
}

/** The facilitator toolkit's services, decorated as `app.session`. */
export interface SessionToolkit {
	sessions: SessionService
	held: HeldNotes
	votes: VoteService
	moderation: Moderation
	phones: PhoneSightings
	scores: ScoreService
	screening: ScreeningService
}

declare module 'fastify' {
	interface FastifyInstance {
		session: SessionToolkit
	}
}

/**
 * The facilitator toolkit on the server: decorates `app.session` (session state, held notes, votes,
 * moderation, phone sightings, score rounds) and attaches to every room as it loads, so that sticky notes a laptop
 * participant draws during private writing are held for their author instead of being lost.
 */
export const sessionPlugin: FastifyPluginAsync = fp(
	async (app) => {
		// The app's one note service (notes-plugin), which holds phone notes during private writing.
		const notes = app.notes
		const held = new HeldNotes(app.store, notes, app.log)
		const votes = new VoteService(app.store)
		const moderation = new Moderation(app.store, notes, votes)
		const sessions = new SessionService(app.store, held, votes)
		const screening = new ScreeningService(app.store, notes)
		notes.onScreeningQueueChanged = async (room) => {
			await screening.publishCount(room)
		}
		app.decorate('session', {
			sessions,
			held,
			votes,
			moderation,
			phones: new PhoneSightings(),
			scores: new ScoreService(app.store),
			screening,
		})
		const canvasNotes = new CanvasNotes(app.store, app.log)
		app.rooms.onRoomLoaded((room) => {
			canvasNotes.attach(room)
			// Notes hidden in an earlier life of the room stay out of participants' reach.
			app.store.listHiddenNotes(room.id).then(
				(hidden) => {
					for (const note of hidden) room.retiredNoteIds.add(note.noteId)
				},
				(error: unknown) => app.log.warn({ err: error, roomId: room.id }, 'listing hidden notes failed')
			)
			room.onPrivateCanvasNote = (peer, record) => {
				held.holdCanvasNote(room, peer.participantId ?? null, record).then(
					(outcome) => app.log.debug({ roomId: room.id, outcome: outcome.kind }, 'private canvas note'),
					(error: unknown) => app.log.warn({ err: error, roomId: room.id }, 'holding a canvas note failed')
				)
			}
		})
	},
	{
		name: 'kompasbord-session',
		dependencies: ['kompasbord-notes'],
		decorators: { fastify: ['store', 'rooms', 'notes'] },
	}
)
