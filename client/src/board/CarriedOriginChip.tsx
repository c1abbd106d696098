import { useValue, type Editor } from 'tldraw'
import { isStickyNote } from '@kompasbord/shared/contract/sticky-note'
import { readRecentBoards } from '../home/recent-boards'
import { browserStorage, useI18n } from '../i18n'
import { carriedOrigin } from './carried-origin'

/** The chip's texts, Dutch first. */
const TEXT = {
	nl: { from: 'Uit het eerdere bord', open: 'Open dat bord' },
	en: { from: 'From the earlier board', open: 'Open that board' },
}

/**
 * Under the one selected note that was carried forward from an earlier board of the traject: that board's title
 * and, when this browser holds its facilitator link, a link that opens it (in a new tab, so this board stays).
 */
export function CarriedOriginChip({ editor }: { editor: Editor }) {
	const { language } = useI18n()
	const s = TEXT[language]
	const spot = useValue('carried origin', () => {
		const shapes = editor.getSelectedShapes()
		if (shapes.length !== 1 || !isStickyNote(shapes[0])) return null
		const meta = shapes[0].meta as { carriedFromRoom?: unknown; carriedFromTitle?: unknown }
		if (typeof meta.carriedFromRoom !== 'string') return null
		const bounds = editor.getShapePageBounds(shapes[0])
		if (!bounds) return null
		const p = editor.pageToViewport({ x: bounds.minX, y: bounds.maxY })
		return { x: p.x, y: p.y, meta }
	}, [editor])
	if (!spot) return null
	const origin = carriedOrigin(spot.meta, readRecentBoards(browserStorage()), window.location.origin)
	if (!origin) return null
	return (
		<div
			className="kb-carried-origin"
			style={{ transform: `translate(${Math.round(spot.x)}px, ${Math.round(spot.y + 6)}px)` }}
			data-testid="carried-origin"
			data-room-id={origin.roomId}
		>
			<span>
				{s.from}: <strong>{origin.title}</strong>
			</span>
			{origin.link && (
				<a href={origin.link} target="_blank" rel="noopener" data-testid="carried-origin-link">
					{s.open}
				</a>
			)}
		</div>
	)
}
