import { useEffect, useState } from 'react'
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
									<li
										key={theme.themeId}
										data-testid="ranking-theme"
										data-theme-id={theme.themeId}
										data-votes={theme.votes}
										data-rank={theme.rank}
									>
										<button
											type="button"
											className="kb-ranking__note"
											onClick={() => {
												const bounds = editor.getShapePageBounds(theme.themeId as never)
												if (bounds) editor.zoomToBounds(bounds.clone().expandBy(200), { animation: { duration: 300 } })
											}}
										>
											<span className="kb-ranking__rank">{theme.rank}.</span>
											<span className="kb-ranking__text">
												<strong>{t('ranking.theme', { label: theme.label || '—' })}</strong>
											</span>
											<span className="kb-ranking__votes">
												{theme.votes === 1 ? t('ranking.vote') : t('ranking.votes', { n: theme.votes })}
											</span>
										</button>
									</li>
								))}
							</ol>
						)}
						<ol>
							{zone.notes.map((note) => (
								<li
									key={note.noteId}
									data-testid="ranking-note"
									data-note-id={note.noteId}
									data-votes={note.votes}
									data-rank={note.rank}
								>
									<button
										type="button"
										className="kb-ranking__note"
										onClick={() => {
											const bounds = editor.getShapePageBounds(note.noteId as never)
											if (bounds) editor.zoomToBounds(bounds.clone().expandBy(200), { animation: { duration: 300 } })
										}}
									>
										<span className="kb-ranking__rank">{note.rank}.</span>
										<span className="kb-ranking__text">{note.text || '—'}</span>
										<span className="kb-ranking__votes">
											{note.votes === 1 ? t('ranking.vote') : t('ranking.votes', { n: note.votes })}
										</span>
									</button>
								</li>
							))}
						</ol>
					</div>
				))}
		</section>
	)
}
