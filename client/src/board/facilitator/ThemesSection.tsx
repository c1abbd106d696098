import { useState } from 'react'
import { useValue } from 'tldraw'
import { shapeText, zoneFrames, type ThemeProposal } from '@kompasbord/shared'
import { api, ApiError } from '../../api'
import { useSessionContext } from './session-context'
import { useParticipantThemes } from './use-session'

/** The section's texts, Dutch first. */
const TEXT = {
	nl: {
		zone: 'Vak',
		threshold: 'Hoe streng groeperen',
		loose: 'ruim',
		strict: 'streng',
		suggest: 'Groepen voorstellen',
		none: 'Geen groepen gevonden: probeer het ruimer.',
		label: 'Naam van het thema',
		accept: 'Groeperen',
		reject: 'Afwijzen',
		notes: (n: number) => (n === 1 ? '1 notitie' : `${n} notities`),
		done: (label: string) => `Thema "${label}" staat op het bord.`,
		participants: 'Deelnemers mogen zelf groeperen',
	},
	en: {
		zone: 'Zone',
		threshold: 'How strictly to group',
		loose: 'loose',
		strict: 'strict',
		suggest: 'Suggest groups',
		none: 'No groups found: try it looser.',
		label: 'Name of the theme',
		accept: 'Group',
		reject: 'Reject',
		notes: (n: number) => (n === 1 ? '1 note' : `${n} notes`),
		done: (label: string) => `Theme "${label}" is on the board.`,
		participants: 'Participants may group notes themselves',
	},
}

/** A proposal as the facilitator edits it. */
type Draft = ThemeProposal & { key: number }

/**
 * "Groepen voorstellen" in the facilitator panel: pick a zone and how strict, get themes proposed by the server
 * for the zone's notes that are in no theme yet, edit each name, then group (a theme frame on the board) or
 * reject it. Grouped notes move, count and rank as one.
 */
export function ThemesSection() {
	const { editor, doc, roomId, facilitatorKey, language } = useSessionContext()
	const s = TEXT[language]
	const participantsGroup = useParticipantThemes(doc)
	const zones = useValue(
		'zone frames',
		() =>
			[...zoneFrames(editor.getCurrentPageShapes()).values()].map((z) => {
				const name = (editor.getShape(z.frameId)?.props as { name?: unknown } | undefined)?.name
				return { id: z.zoneId, label: typeof name === 'string' && name ? name : z.zoneId }
			}),
		[editor]
	)
	const [zoneId, setZoneId] = useState<string | null>(null)
	const [threshold, setThreshold] = useState(0.12)
	const [drafts, setDrafts] = useState<Draft[] | null>(null)
	const [message, setMessage] = useState<string | null>(null)
	const zone = zoneId ?? zones[0]?.id ?? ''
	const key = facilitatorKey ?? ''

	const suggest = async () => {
		setMessage(null)
		try {
			const answer = await api('suggestThemes', { params: { roomId }, body: { zoneId: zone, threshold } }, { key })
			let n = 0
			setDrafts(answer.proposals.map((p) => ({ ...p, key: n++ })))
			if (answer.proposals.length === 0) setMessage(s.none)
		} catch (error) {
			setMessage(error instanceof ApiError ? error.message : String(error))
		}
	}
	const accept = async (draft: Draft) => {
		try {
			await api(
				'createTheme',
				{ params: { roomId }, body: { zoneId: zone, label: draft.label, noteIds: draft.noteIds } },
				{ key }
			)
			setDrafts((list) => list?.filter((d) => d.key !== draft.key) ?? null)
			setMessage(s.done(draft.label))
		} catch (error) {
			setMessage(error instanceof ApiError ? error.message : String(error))
		}
	}
	const noteText = (id: string) => shapeText(editor.getShape(id as never)?.props)

	const allowParticipants = async (allowed: boolean) => {
		setMessage(null)
		try {
			await api('setThemePermission', { params: { roomId }, body: { allowed } }, { key })
		} catch (error) {
			setMessage(error instanceof ApiError ? error.message : String(error))
		}
	}

	return (
		<div className="kb-themes" data-testid="themes-section">
			<label className="kb-check">
				<input
					type="checkbox"
					checked={participantsGroup}
					onChange={(e) => void allowParticipants(e.target.checked)}
					data-testid="themes-participants"
				/>
				{s.participants}
			</label>
			<label className="kb-themes__row">
				<span>{s.zone}</span>
				<select value={zone} onChange={(e) => setZoneId(e.target.value)} data-testid="themes-zone">
					{zones.map((z) => (
						<option key={z.id} value={z.id}>
							{z.label}
						</option>
					))}
				</select>
			</label>
			<label className="kb-themes__row">
				<span>{s.threshold}</span>
				<span className="kb-themes__slider">
					<small>{s.loose}</small>
					<input
						type="range"
						min={0.05}
						max={0.5}
						step={0.01}
						value={threshold}
						onChange={(e) => setThreshold(Number(e.target.value))}
						data-testid="themes-threshold"
					/>
					<small>{s.strict}</small>
				</span>
			</label>
			<button type="button" className="kb-primary" onClick={() => void suggest()} data-testid="themes-suggest">
				{s.suggest}
			</button>
			{drafts && drafts.length > 0 && (
				<ul className="kb-themes__proposals" data-testid="themes-proposals">
					{drafts.map((draft) => (
						<li key={draft.key}>
							<input
								aria-label={s.label}
								value={draft.label}
								maxLength={80}
								onChange={(e) =>
									setDrafts(
										(list) => list?.map((d) => (d.key === draft.key ? { ...d, label: e.target.value } : d)) ?? null
									)
								}
							/>
							<span className="kb-themes__count">{s.notes(draft.noteIds.length)}</span>
							<ul className="kb-themes__notes">
								{draft.noteIds.map((id) => (
									<li key={id}>{noteText(id)}</li>
								))}
							</ul>
							<span className="kb-themes__actions">
								<button
									type="button"
									className="kb-primary"
									disabled={!draft.label.trim()}
									onClick={() => void accept(draft)}
									data-testid="themes-accept"
								>
									{s.accept}
								</button>
								<button
									type="button"
									className="kb-subtle"
									onClick={() => setDrafts((list) => list?.filter((d) => d.key !== draft.key) ?? null)}
								>
									{s.reject}
								</button>
							</span>
						</li>
					))}
				</ul>
			)}
			{message && (
				<p className="kb-muted" role="status" data-testid="themes-message">
					{message}
				</p>
			)}
		</div>
	)
}
