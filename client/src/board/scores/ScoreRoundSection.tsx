import { useEffect, useState } from 'react'
import type { RoomInfo } from '@kompasbord/shared'
import { scoreSpread } from '@kompasbord/shared/score-round'
import { ApiError, fetchRoom } from '../../api'
import { setScoreRound } from '../facilitator/session-api'
import { useSessionContext } from '../facilitator/session-context'
import { errorText } from '../facilitator/strings'
import { useScoreRound } from '../facilitator/use-session'

/** The section's texts, Dutch first. */
const TEXT = {
	nl: {
		title: 'Cijferronde',
		intro: (parts: number, min: number, max: number) =>
			`Iedereen geeft op de telefoon elk van de ${parts} onderdelen een cijfer (${min}–${max}); het bord toont de spreiding.`,
		start: 'Cijferronde starten',
		again: 'Nieuwe cijferronde (cijfers wissen)',
		close: 'Cijferronde sluiten',
		open: (n: number) => `Loopt · ${n === 1 ? '1 deelnemer gaf' : `${n} deelnemers gaven`} een cijfer`,
		closed: (n: number) => `Gesloten · ${n === 1 ? '1 deelnemer' : `${n} deelnemers`}`,
	},
	en: {
		title: 'Score round',
		intro: (parts: number, min: number, max: number) =>
			`Everyone gives each of the ${parts} parts a mark (${min}–${max}) on their phone; the board shows the spread.`,
		start: 'Start score round',
		again: 'New score round (clear marks)',
		close: 'Close score round',
		open: (n: number) => `Open · ${n === 1 ? '1 participant has' : `${n} participants have`} given marks`,
		closed: (n: number) => `Closed · ${n === 1 ? '1 participant' : `${n} participants`}`,
	},
}

/**
 * "Cijferronde" in the facilitator panel, on a board whose template offers a score round (the worksheet's tip to
 * give each part a mark): start a round, see how many took part, close it. A new round drops the earlier marks.
 */
export function ScoreRoundSection() {
	const { doc, roomId, facilitatorKey, language } = useSessionContext()
	const s = TEXT[language]
	const round = useScoreRound(doc)
	const [spec, setSpec] = useState<RoomInfo['scoreRound'] | null>(null)
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)

	useEffect(() => {
		const abort = new AbortController()
		fetchRoom(roomId, abort.signal).then(
			(room) => setSpec(room.scoreRound ?? null),
			() => setSpec(null)
		)
		return () => abort.abort()
	}, [roomId])

	if (!spec) return null
	const act = async (action: 'start' | 'close') => {
		setBusy(true)
		setError(null)
		try {
			await setScoreRound(roomId, facilitatorKey ?? '', action)
		} catch (e) {
			setError(e instanceof ApiError ? errorText(language, e.code, e.message) : String(e))
		} finally {
			setBusy(false)
		}
	}
	// The most marks any part got: everyone who took part marked at least the part they started with.
	const takers = round ? Math.max(0, ...round.parts.map((p) => scoreSpread(p.counts, round.min).n)) : 0
	return (
		<div className="kb-session-group" data-testid="score-round-section">
			<h3>{s.title}</h3>
			<div className="kb-session-group__body">
				<p className="kb-score-round__intro">{s.intro(spec.parts.length, spec.min, spec.max)}</p>
				{round && (
					<p
						className="kb-score-round__status"
						role="status"
						data-testid="score-round-status"
						data-status={round.status}
					>
						{round.status === 'open' ? s.open(takers) : s.closed(takers)}
					</p>
				)}
				{round?.status === 'open' ? (
					<button type="button" disabled={busy} data-testid="score-round-close" onClick={() => void act('close')}>
						{s.close}
					</button>
				) : (
					<button type="button" disabled={busy} data-testid="score-round-start" onClick={() => void act('start')}>
						{round ? s.again : s.start}
					</button>
				)}
				{error && (
					<p className="kb-session-error" role="alert">
						{error}
					</p>
				)}
			</div>
		</div>
	)
}
