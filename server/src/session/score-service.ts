import {
	readSessionPhase,
	SESSION_MAP,
	type MyScores,
	type ScoreRoundSpec,
	type ScoreRoundView,
} from '@kompasbord/shared'
import { readScoreRound, SCORE_ROUND_KEY } from '@kompasbord/shared/score-round'
import { getTemplate } from '@kompasbord/templates'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import type { ScoreStore } from '../store/scores'
import { RoomQueue } from './room-queue'

/**
 * Score rounds: the facilitator starts one on a board whose template declares `scoreRound` and closes it; while
 * it is open each participant gives every part one mark, which they may change. Who gave what is kept in the
 * store only (`scores`); the doc's session map holds the round with the number of marks per value per part, so
 * every board shows the spread and nobody sees whose mark is whose. Operations of one room run one after the
 * other (and under the room's cluster lock), so the counts in the doc always match the store.
 */
export class ScoreService {
	private readonly queue = new RoomQueue()

	constructor(
		private readonly store: ScoreStore,
		private readonly now: () => number = Date.now
	) {}

	/** The round the room's doc holds, or null. */
	current(room: Room): ScoreRoundView | null {
		return readScoreRound(room.doc.getMap<unknown>(SESSION_MAP).get(SCORE_ROUND_KEY))
	}

	/** Starts a new round on the template's parts, dropping the marks of an earlier one. 400 when the template has none. */
	start(room: Room): Promise<ScoreRoundView> {
		return this.queue.run(room, async () => {
			const spec = specOf(room)
			await this.store.clearScores(room.id)
			const steps = spec.max - spec.min + 1
			const round: ScoreRoundView = {
				status: 'open',
				min: spec.min,
				max: spec.max,
				parts: spec.parts.map((zoneId) => ({ zoneId, counts: new Array<number>(steps).fill(0) })),
				startedAt: this.now(),
				closedAt: null,
			}
			await this.write(room, round)
			return round
		})
	}

	/** Closes the open round (its spread stays on the board and in the report). 409 without a round. */
	close(room: Room): Promise<ScoreRoundView> {
		return this.queue.run(room, async () => {
			specOf(room)
			const round = this.current(room)
			if (!round) throw noRound()
			if (round.status === 'closed') return round
			const closed: ScoreRoundView = { ...(await this.counted(room, round)), status: 'closed', closedAt: this.now() }
			await this.write(room, closed)
			return closed
		})
	}

	/**
	 * Sets a participant's mark for a part. 409 without an open round (or in a closed session), 400 for a part
	 * the round does not have or a mark outside its scale.
	 */
	give(room: Room, participantId: string, zoneId: string, score: number): Promise<MyScores> {
		return this.queue.run(room, async () => {
			if (room.meta.closedAt !== null || readSessionPhase(room.doc.getMap(SESSION_MAP)) === 'closed')
				throw httpError(409, 'session_closed', 'This session is closed')
			const round = this.current(room)
			if (!round) throw noRound()
			if (round.status !== 'open') throw httpError(409, 'score_round_closed', 'The score round is closed')
			if (!round.parts.some((p) => p.zoneId === zoneId)) {
				throw httpError(400, 'unknown_part', `The score round has no part ${zoneId}`)
			}
			if (!Number.isInteger(score) || score < round.min || score > round.max) {
				throw httpError(400, 'score_out_of_range', `A mark is a whole number from ${round.min} to ${round.max}`)
			}
			await this.store.setScore(room.id, { participantId, zoneId, score, updatedAt: this.now() })
			const counted = await this.counted(room, round)
			await this.write(room, counted)
			return { scoreRound: counted, mine: await this.mineNow(room, participantId) }
		})
	}

	/** The round and the participant's own marks. */
	mine(room: Room, participantId: string): Promise<MyScores> {
		return this.queue.run(room, async () => ({
			scoreRound: this.current(room),
			mine: await this.mineNow(room, participantId),
		}))
	}

	private async mineNow(room: Room, participantId: string): Promise<Record<string, number>> {
		if (!this.current(room)) return {}
		const mine: Record<string, number> = {}
		for (const entry of await this.store.listScores(room.id)) {
			if (entry.participantId === participantId) mine[entry.zoneId] = entry.score
		}
		return mine
	}

	/** The round with its counts taken from the store. */
	private async counted(room: Room, round: ScoreRoundView): Promise<ScoreRoundView> {
		const index = new Map(round.parts.map((p, i) => [p.zoneId, i]))
		const parts = round.parts.map((p) => ({ zoneId: p.zoneId, counts: p.counts.map(() => 0) }))
		for (const entry of await this.store.listScores(room.id)) {
			const at = index.get(entry.zoneId)
			if (at === undefined || entry.score < round.min || entry.score > round.max) continue
			parts[at].counts[entry.score - round.min]++
		}
		return { ...round, parts }
	}

	/** Writes the round into the session map when it differs from what the doc holds. */
	private async write(room: Room, round: ScoreRoundView): Promise<void> {
		if (JSON.stringify(this.current(room)) === JSON.stringify(round)) return
		await room.change((doc) => doc.getMap<unknown>(SESSION_MAP).set(SCORE_ROUND_KEY, round))
	}
}

/** The template's score round; 400 `no_score_round` for a template without one. */
function specOf(room: Room): ScoreRoundSpec {
	const spec = getTemplate(room.meta.templateId)?.scoreRound
	if (!spec) throw httpError(400, 'no_score_round', 'The template of this board has no score round')
	return spec
}

function noRound() {
	return httpError(409, 'no_score_round', 'No score round has been started on this board')
}
