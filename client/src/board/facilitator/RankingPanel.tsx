import { type ReactNode, useEffect, useState } from 'react'
import { useValue } from 'tldraw'
import { rankNotesByZone } from '@kompasbord/shared/vote-ranking'
import { fetchRoom } from '../../api'
import { useSessionContext } from './session-context'
import { useVoteCounts } from './use-session'

/** A zone's label in both languages, as `GET /api/rooms/:roomId` lists it. */
type ZoneLabels = Map<string, { nl: string; en: string }>

function labelsOf(zones: { id: string; label: unknown }[]): ZoneLabels {
	const map: ZoneLabels = new Map()
	for (const zone of zones) {
		const label = zone.label as { nl?: unknown; en?: unknown } | string
		if (typeof label === 'string') map.set(zone.id, { nl: label, en: label })
		else if (label && typeof label.nl === 'string')
			map.set(zone.id, { nl: label.nl, en: typeof label.en === 'string' ? label.en : label.nl })
	}
	return map
}

/**
 * The voting result: the board's notes ranked by dots, per zone in worksheet order, live from the doc; a zone's
 * themes first, each ranked as one item (its own dots and its notes' together).
 * Clicking a note brings it into view.
 */
export function RankingPanel({ onClose }: { onClose(): void }) {
	const { editor, doc, roomId, t, language } = useSessionContext()
	const counts = useVoteCounts(doc)
	const [labels, setLabels] = useState<ZoneLabels>(new Map())

	useEffect(() => {
		const abort = new AbortController()
		fetchRoom(roomId, abort.signal).then(
			(room) => setLabels(labelsOf(room.zones)),
			() => {}
		)
		return () => abort.abort()
	}, [roomId])

	const shapes = useValue('ranking shapes', () => editor.getCurrentPageShapes(), [editor])
	const ranking = rankNotesByZone(shapes, counts, [...labels.keys()])

	return (
		<section className="kb-ranking" data-testid="ranking-panel" aria-label={t('ranking.title')}>
			<header className="kb-session-panel__header">
				<h2>{t('ranking.title')}</h2>
				<button type="button" className="kb-icon-button" aria-label={t('ranking.hide')} onClick={onClose}>
					×
				</button>
			</header>
			{ranking.every((zone) => zone.notes.length === 0) && <p className="kb-muted">{t('ranking.empty')}</p>}
			{ranking
				.filter((zone) => zone.notes.length > 0)
				.map((zone) => (
					<div
						key={zone.zoneId ?? '-'}
						className="kb-ranking__zone"
						data-testid="ranking-zone"
						data-zone-id={zone.zoneId ?? ''}
					>
						<h3>{zone.zoneId === null ? t('ranking.noZone') : (labels.get(zone.zoneId)?.[language] ?? zone.zoneId)}</h3>
						{zone.themes && (
							<ol className="kb-ranking__themes" aria-label={t('ranking.themes')}>
								{zone.themes.map((theme) => (
									<RankedItem
										key={theme.themeId}
										kind="theme"
										shapeId={theme.themeId}
										rank={theme.rank}
										votes={theme.votes}
									>
										<strong>{t('ranking.theme', { label: theme.label || '—' })}</strong>
									</RankedItem>
								))}
							</ol>
						)}
						<ol>
							{zone.notes.map((note) => (
								<RankedItem key={note.noteId} kind="note" shapeId={note.noteId} rank={note.rank} votes={note.votes}>
									{note.text || '—'}
								</RankedItem>
							))}
						</ol>
					</div>
				))}
		</section>
	)
}

/** One line of the ranking (a note, or a theme counted as one): its rank, text and dots; a click brings it into view. */
function RankedItem(props: {
	kind: 'note' | 'theme'
	shapeId: string
	rank: number
	votes: number
	children: ReactNode
}) {
	const { editor, t } = useSessionContext()
	return (
		<li
			data-testid={`ranking-${props.kind}`}
			{...{ [`data-${props.kind}-id`]: props.shapeId }}
			data-votes={props.votes}
			data-rank={props.rank}
		>
			<button
				type="button"
				className="kb-ranking__note"
				onClick={() => {
					const bounds = editor.getShapePageBounds(props.shapeId as never)
					if (bounds) editor.zoomToBounds(bounds.clone().expandBy(200), { animation: { duration: 300 } })
				}}
			>
				<span className="kb-ranking__rank">{props.rank}.</span>
				<span className="kb-ranking__text">{props.children}</span>
				<span className="kb-ranking__votes">
					{props.votes === 1 ? t('ranking.vote') : t('ranking.votes', { n: props.votes })}
				</span>
			</button>
		</li>
	)
}
