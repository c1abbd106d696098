import { useValue } from 'tldraw'
import { SCORE_BAND_HEIGHT, zoneFrameId } from '@kompasbord/shared'
import { formatMark, scoreSpread, type ScoreRoundView } from '@kompasbord/shared/score-round'
import { useSessionContext } from '../facilitator/session-context'
import { useScoreRound } from '../facilitator/use-session'
import './scores.css'

/** A part's band on screen: where its frame's bottom edge is and how large a board unit is. */
interface BandSpot {
	zoneId: string
	x: number
	y: number
	/** The frame's width in board units. */
	w: number
	zoom: number
}

/** Board units inside the band (it is {@link SCORE_BAND_HEIGHT} tall and as wide as the frame). */
const PAD = 16
const LABEL = 46
const STATS = 56

/**
 * The score round's spread on the board, for everyone: under each part's frame, in the band the template keeps
 * free, a histogram of the marks (one bar per mark, its count above it) with the number of marks, the median and
 * the lowest to highest mark beside it. Drawn in board units, so it scales with the board and reads on the
 * projector at zoom-to-fit; it follows the frame when it grows or moves. Live from the session map, which holds
 * only counts: nobody sees who gave what.
 */
export function ScoreSpreads() {
	const { editor, doc, language } = useSessionContext()
	const round = useScoreRound(doc)
	const parts = round?.parts.map((p) => p.zoneId).join('\u0000') ?? ''
	const spots = useValue('score bands', () => {
		if (!parts) return []
		const zoom = editor.getZoomLevel()
		const list: BandSpot[] = []
		for (const zoneId of parts.split('\u0000')) {
			const bounds = editor.getShapePageBounds(zoneFrameId(zoneId))
			if (!bounds) continue
			const p = editor.pageToViewport({ x: bounds.minX, y: bounds.maxY })
			list.push({ zoneId, x: p.x, y: p.y, w: bounds.w, zoom })
		}
		return list
	}, [editor, parts])
	if (!round) return null
	return (
		<div className="kb-score-layer" data-testid="score-layer" data-status={round.status}>
			{spots.map((spot) => {
				const part = round.parts.find((p) => p.zoneId === spot.zoneId)
				if (!part) return null
				return (
					<div
						key={spot.zoneId}
						className="kb-score-band"
						style={{
							width: spot.w,
							height: SCORE_BAND_HEIGHT,
							transform: `translate(${spot.x}px, ${spot.y}px) scale(${spot.zoom})`,
						}}
					>
						<ScoreHistogram
							round={round}
							counts={part.counts}
							width={spot.w}
							zoneId={spot.zoneId}
							language={language}
						/>
					</div>
				)
			})}
		</div>
	)
}

/** The words of the spread, Dutch first. */
const TEXT = {
	nl: {
		marks: (n: number) => (n === 1 ? '1 cijfer' : `${n} cijfers`),
		median: 'mediaan',
		none: 'nog geen cijfers',
		open: 'cijferronde loopt',
		closed: 'cijferronde gesloten',
	},
	en: {
		marks: (n: number) => (n === 1 ? '1 mark' : `${n} marks`),
		median: 'median',
		none: 'no marks yet',
		open: 'score round open',
		closed: 'score round closed',
	},
}

/** One part's histogram and figures, as an SVG in board units. */
function ScoreHistogram(props: {
	round: ScoreRoundView
	counts: number[]
	width: number
	zoneId: string
	language: 'nl' | 'en'
}) {
	const { round, counts, width, zoneId, language } = props
	const s = TEXT[language]
	const spread = scoreSpread(counts, round.min)
	const height = SCORE_BAND_HEIGHT
	const statsWidth = Math.min(440, width * 0.36)
	const chartWidth = width - statsWidth - 3 * PAD
	const slot = chartWidth / counts.length
	const barTop = PAD + LABEL + 14
	const barBottom = height - PAD - LABEL
	const most = Math.max(1, ...counts)
	const median = spread.median
	return (
		<svg
			className="kb-score-chart"
			viewBox={`0 0 ${width} ${height}`}
			width={width}
			height={height}
			role="img"
			aria-label={
				spread.n === 0
					? s.none
					: `${s.marks(spread.n)}, ${s.median} ${formatMark(median!, language)}, ${spread.low}–${spread.high}`
			}
			data-testid="score-spread"
			data-zone-id={zoneId}
			data-n={spread.n}
			data-median={median ?? ''}
			data-low={spread.low ?? ''}
			data-high={spread.high ?? ''}
			data-counts={counts.join(',')}
		>
			<rect className="kb-score-chart__back" x={1} y={1} width={width - 2} height={height - 2} rx={18} />
			{counts
				.map((count, i) => ({ mark: round.min + i, count }))
				.map(({ mark, count }) => {
					const h = count === 0 ? 0 : Math.max(10, ((barBottom - barTop) * count) / most)
					const x = PAD + (mark - round.min) * slot
					return (
						<g key={mark}>
							<rect
								className={count > 0 ? 'kb-score-chart__bar' : 'kb-score-chart__bar kb-score-chart__bar--empty'}
								x={x + slot * 0.14}
								y={count > 0 ? barBottom - h : barBottom - 4}
								width={slot * 0.72}
								height={count > 0 ? h : 4}
								rx={6}
							/>
							{count > 0 && (
								<text className="kb-score-chart__count" x={x + slot / 2} y={barBottom - h - 10} textAnchor="middle">
									{count}
								</text>
							)}
							<text className="kb-score-chart__mark" x={x + slot / 2} y={height - PAD - 6} textAnchor="middle">
								{mark}
							</text>
						</g>
					)
				})}
			<g transform={`translate(${width - statsWidth - PAD}, 0)`}>
				{spread.n === 0 ? (
					<text className="kb-score-chart__stat" x={0} y={PAD + STATS * 1.6}>
						{s.none}
					</text>
				) : (
					<>
						<text className="kb-score-chart__stat kb-score-chart__stat--big" x={0} y={PAD + STATS * 1.15}>
							{s.median} {formatMark(median!, language)}
						</text>
						<text className="kb-score-chart__stat" x={0} y={PAD + STATS * 2.35}>
							{spread.low === spread.high ? `${spread.low}` : `${spread.low} – ${spread.high}`}
						</text>
						<text className="kb-score-chart__stat" x={0} y={PAD + STATS * 3.55}>
							{s.marks(spread.n)}
						</text>
					</>
				)}
				<text className="kb-score-chart__status" x={0} y={height - PAD - 6}>
					{round.status === 'open' ? s.open : s.closed}
				</text>
			</g>
		</svg>
	)
}
