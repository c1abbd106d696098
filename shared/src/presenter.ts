/**
 * The presenter view ("Zone in beeld"): what the facilitator shows on the projector, one zone at a time or an
 * overview of all zones. The server writes it into the doc's session map under {@link PRESENTER_KEY} (only the
 * facilitator may set it, through `PUT /api/rooms/:roomId/presenter`); boards in follow mode show the same.
 *
 * @packageDocumentation
 */

/** Key of the {@link PresenterState} in the doc's session map (`SESSION_MAP`). */
export const PRESENTER_KEY = 'presenter'

/** The presenter view's types are the contract's (`./contract/schemas`). */
export type { PresenterChange, PresenterMode, PresenterState } from './contract/schemas'
import type { PresenterState } from './contract/schemas'

/** The presenter view switched off. */
export const PRESENTER_OFF: PresenterState = { mode: 'off', zoneId: null }

/** Zone ids as templates make them (`doel`, `resultaat-2`, `preventie:2`). */
export const PRESENTER_ZONE_ID_PATTERN = /^[A-Za-z0-9:_-]{1,64}$/

/** The presenter state a session map value holds; {@link PRESENTER_OFF} for anything missing or malformed. */
export function readPresenterState(value: unknown): PresenterState {
	if (!value || typeof value !== 'object') return PRESENTER_OFF
	const v = value as { mode?: unknown; zoneId?: unknown }
	if (v.mode === 'overview') return { mode: 'overview', zoneId: null }
	if (v.mode === 'zone' && typeof v.zoneId === 'string' && PRESENTER_ZONE_ID_PATTERN.test(v.zoneId)) {
		return { mode: 'zone', zoneId: v.zoneId }
	}
	return PRESENTER_OFF
}

/**
 * The zone `step` places away from `current` in `order` (worksheet order), clamped to the ends; the first zone
 * when `current` is not in `order`. Null for an empty order.
 */
export function steppedZone(order: readonly string[], current: string | null, step: number): string | null {
	if (order.length === 0) return null
	const at = current === null ? -1 : order.indexOf(current)
	if (at < 0) return order[0]
	return order[Math.max(0, Math.min(order.length - 1, at + step))]
}
