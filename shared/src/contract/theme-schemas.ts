/**
 * TypeBox schemas of the theme routes (`/api/rooms/:roomId/themes…`): grouping a zone's notes into named themes
 * (the facilitator, and participants when the facilitator allows it), and the proposals of "Groepen voorstellen". Runtime TypeBox objects, like `./schemas`.
 *
 * @packageDocumentation
 */
import { type Static, Type } from '@sinclair/typebox'
import { MAX_NOTE_ID, MAX_ROOM_ID, MAX_ZONE_ID } from './limits'

/** `:roomId` and `:themeId` */
export const ThemeParams = Type.Object({
	roomId: Type.String({ minLength: 1, maxLength: MAX_ROOM_ID }),
	themeId: Type.String({ minLength: 1, maxLength: MAX_NOTE_ID }),
})
export type ThemeParams = Static<typeof ThemeParams>

/** `POST /api/rooms/:roomId/themes/suggestions` body: the zone, and how alike notes must be (0–1). */
export const ThemeSuggestionRequest = Type.Object(
	{
		zoneId: Type.String({ minLength: 1, maxLength: MAX_ZONE_ID }),
		threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
	},
	{ additionalProperties: false }
)
export type ThemeSuggestionRequest = Static<typeof ThemeSuggestionRequest>

/** A proposed theme. */
export const ThemeProposal = Type.Object({ label: Type.String(), noteIds: Type.Array(Type.String()) })
export type ThemeProposal = Static<typeof ThemeProposal>

/** `POST /api/rooms/:roomId/themes/suggestions` answer. */
export const ThemeSuggestions = Type.Object({ proposals: Type.Array(ThemeProposal) })
export type ThemeSuggestions = Static<typeof ThemeSuggestions>

/** `POST /api/rooms/:roomId/themes` body: group these notes of the zone under a label. */
export const CreateThemeRequest = Type.Object(
	{
		zoneId: Type.String({ minLength: 1, maxLength: MAX_ZONE_ID }),
		label: Type.String({ minLength: 1, maxLength: 80 }),
		noteIds: Type.Array(Type.String({ minLength: 1, maxLength: MAX_NOTE_ID }), { minItems: 1, maxItems: 200 }),
	},
	{ additionalProperties: false }
)
export type CreateThemeRequest = Static<typeof CreateThemeRequest>

/** `POST /api/rooms/:roomId/themes` answer (201). */
export const CreatedTheme = Type.Object({ themeId: Type.String() })
export type CreatedTheme = Static<typeof CreatedTheme>

/**
 * `PUT /api/rooms/:roomId/themes/participants` body and answer (facilitator): whether participants may group notes
 * into themes and ungroup them (`POST`/`DELETE …/themes` with their participant token, and theme frames on the
 * board). Off by default.
 */
export const ThemePermission = Type.Object({ allowed: Type.Boolean() }, { additionalProperties: false })
export type ThemePermission = Static<typeof ThemePermission>
