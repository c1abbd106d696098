import { useState } from 'react'
import { useValue, type Editor, type TLShape } from 'tldraw'
import { STRUCTURE_KIND, THEME_KIND } from '@kompasbord/shared'
import { isStickyNote } from '@kompasbord/shared/contract/sticky-note'
import { api, ApiError } from '../../api'
import { useSessionContext } from './session-context'
import { errorText } from './strings'

/** The panel's texts, Dutch first. */
const TEXT = {
	nl: {
		title: 'Groeperen',
		label: 'Naam van het thema',
		group: (n: number) => (n === 1 ? 'Notitie groeperen' : `${n} notities groeperen`),
		ungroup: 'Groep opheffen',
		mixed: 'Kies notities uit één vak die nog in geen thema staan.',
	},
	en: {
		title: 'Group',
		label: 'Name of the theme',
		group: (n: number) => (n === 1 ? 'Group note' : `Group ${n} notes`),
		ungroup: 'Ungroup',
		mixed: 'Pick notes of one zone that are in no theme yet.',
	},
}

function kindOf(shape: TLShape | undefined): unknown {
	return (shape?.meta as { kind?: unknown } | undefined)?.kind
}

/** The zone a shape lies in (its nearest structure frame with a zone id), and whether it sits in a theme. */
function placeOf(editor: Editor, shape: TLShape): { zoneId: string | null; inTheme: boolean } {
	let inTheme = false
	let parent = editor.getShape(shape.parentId as TLShape['id'])
	for (let depth = 0; parent && depth < 32; depth++) {
		if (kindOf(parent) === THEME_KIND) inTheme = true
		const zoneId = (parent.meta as { zoneId?: unknown }).zoneId
		if (kindOf(parent) === STRUCTURE_KIND && typeof zoneId === 'string') return { zoneId, inTheme }
		parent = editor.getShape(parent.parentId as TLShape['id'])
	}
	return { zoneId: null, inTheme }
}

/**
 * A laptop participant's way to group notes into a theme, shown while the facilitator lets participants group:
 * select notes of one zone that are in no theme, name the theme, "Groeperen"; select a theme, "Groep opheffen".
 * Both go through the theme routes with the participant's token; the server checks the permission again.
 */
export function ParticipantThemes() {
	const { editor, roomId, participantToken, language } = useSessionContext()
	const s = TEXT[language]
	const [label, setLabel] = useState('')
	const [error, setError] = useState<string | null>(null)
	const [busy, setBusy] = useState(false)
	const selection = useValue('participant theme selection', () => {
		const shapes = editor.getSelectedShapes()
		if (shapes.length === 1 && shapes[0].type === 'frame' && kindOf(shapes[0]) === THEME_KIND) {
			return { themeId: shapes[0].id as string, noteIds: [] as string[], zoneId: null, ok: true }
		}
		const notes = shapes.filter((shape) => isStickyNote(shape))
		if (notes.length === 0 || notes.length !== shapes.length) return null
		const places = notes.map((note) => placeOf(editor, note))
		const zoneId = places[0].zoneId
		const ok = zoneId !== null && places.every((p) => p.zoneId === zoneId && !p.inTheme)
		return { themeId: null, noteIds: notes.map((n) => n.id as string), zoneId, ok }
	}, [editor])
	if (!selection || !participantToken) return null

	const run = async (action: () => Promise<unknown>) => {
		setBusy(true)
		setError(null)
		try {
			await action()
			setLabel('')
		} catch (failure) {
			setError(failure instanceof ApiError ? errorText(language, failure.code, failure.message) : String(failure))
		} finally {
			setBusy(false)
		}
	}
	const key = participantToken
	return (
		<section className="kb-participant-themes" aria-label={s.title} data-testid="participant-themes">
			{selection.themeId ? (
				<button
					type="button"
					disabled={busy}
					data-testid="participant-ungroup"
					onClick={() =>
						void run(() => api('deleteTheme', { params: { roomId, themeId: selection.themeId! } }, { key }))
					}
				>
					{s.ungroup}
				</button>
			) : selection.ok ? (
				<form
					onSubmit={(event) => {
						event.preventDefault()
						if (!label.trim() || !selection.zoneId) return
						void run(() =>
							api(
								'createTheme',
								{
									params: { roomId },
									body: { zoneId: selection.zoneId!, label: label.trim(), noteIds: selection.noteIds },
								},
								{ key }
							)
						)
					}}
				>
					<input
						aria-label={s.label}
						placeholder={s.label}
						value={label}
						maxLength={80}
						onChange={(event) => setLabel(event.target.value)}
						data-testid="participant-theme-label"
					/>
					<button type="submit" disabled={busy || !label.trim()} data-testid="participant-group">
						{s.group(selection.noteIds.length)}
					</button>
				</form>
			) : (
				<p className="kb-muted">{s.mixed}</p>
			)}
			{error && (
				<p className="kb-session-error" role="alert">
					{error}
				</p>
			)}
		</section>
	)
}
