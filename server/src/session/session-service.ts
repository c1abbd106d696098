import type { SessionState } from '@kompasbord/shared'
import { newJoinCode } from '../rooms/credentials'
import type { Room } from '../rooms/room'
import { JoinCodeTakenError, type RoomRecordStore } from '../store/room-records'
import { httpError } from '../http/errors'
import type { HeldNotes } from './held-notes'
import { RoomQueue } from './room-queue'
import { applySessionPatch, readSessionState, writeSessionState, type SessionPatch } from './session-state'
import type { VoteService } from './vote-service'

/** Attempts at finding a free join code when a closed room is reopened and its old code is taken. */
const REOPEN_CODE_ATTEMPTS = 20

/** What {@link SessionService.patch} answers. */
export interface PatchResult {
	state: SessionState
	/** Held notes placed by this change (0 when nothing was revealed). */
	revealed: number
}

/**
 * Changes a room's session state for the facilitator: writes it into the doc's session map (every board sees
 * it live), and does what a change implies — reveal the held notes when private writing ends, record
 * `closedAt` when the session closes (the join code stops working) and clear it when it reopens, throw away the
 * dots of a finished round. Changes of one room run one after the other.
 */
export class SessionService {
	private readonly queue = new RoomQueue()

	constructor(
		private readonly store: RoomRecordStore,
		private readonly held: HeldNotes,
		private readonly votes: VoteService,
		private readonly now: () => number = Date.now
	) {}

	/** The room's session state now. */
	state(room: Room): SessionState {
		const state = readSessionState(room.doc)
		// The store's closedAt wins: a room closed by an earlier server run is closed whatever its doc says.
		return room.meta.closedAt !== null ? { ...state, phase: 'closed' } : state
	}

	/** Applies a facilitator's change; resolves once everything it implies is durable. */
	patch(room: Room, patch: SessionPatch): Promise<PatchResult> {
		return this.queue.run(room, async () => {
			const now = this.now()
			const { state, effects } = applySessionPatch(this.state(room), patch, now)
			if (effects.close) {
				await this.store.updateRoom(room.id, { closedAt: now })
				room.meta = { ...room.meta, closedAt: now }
			}
			if (effects.reopen) await this.reopen(room)
			await room.change((doc) => writeSessionState(doc, state))
			if (effects.resetVotes) await this.votes.reset(room)
			const revealed = effects.reveal ? await this.held.reveal(room) : 0
			return { state: this.state(room), revealed }
		})
	}

	/** Clears `closedAt`; when another open room took the join code meanwhile, the room gets a new one. */
	private async reopen(room: Room): Promise<void> {
		let joinCode = room.meta.joinCode
		for (let attempt = 0; attempt <= REOPEN_CODE_ATTEMPTS; attempt++) {
			try {
				await this.store.updateRoom(room.id, attempt === 0 ? { closedAt: null } : { closedAt: null, joinCode })
				room.meta = { ...room.meta, closedAt: null, joinCode }
				return
			} catch (error) {
				if (!(error instanceof JoinCodeTakenError)) throw error
				joinCode = newJoinCode()
			}
		}
		throw httpError(503, 'no_join_code', 'Could not find a free join code to reopen the session; try again')
	}
}
