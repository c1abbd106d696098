/**
 * Themes in the doc: whether participants may group notes into themes (a session setting the server writes into
 * the session map under {@link PARTICIPANT_THEMES_KEY}; off by default: only the facilitator groups), and which
 * shapes take dots — notes, and theme frames, whose own dots count towards the theme together with its notes'.
 *
 * @packageDocumentation
 */
import type { TLRecord } from '@tldraw/tlschema'
import { isStickyNote } from './contract/sticky-note'
import { isThemeShape } from './focus'

export { THEME_KIND } from './focus'

/** Key in the doc's session map: true when participants may group notes into themes and ungroup them. */
export const PARTICIPANT_THEMES_KEY = 'participantThemes'

/** Whether the session map lets participants group notes (false when unset or malformed). */
export function readParticipantThemes(map: { get(key: string): unknown }): boolean {
	return map.get(PARTICIPANT_THEMES_KEY) === true
}

/** Whether a record can take dots in a voting round: a sticky note, or a theme frame (voted on as one item). */
export function isVotableShape(record: unknown): boolean {
	return isStickyNote(record) || isThemeShape(record as TLRecord | undefined)
}
