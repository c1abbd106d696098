import { useEffect, useRef, useState } from 'react'
import { react, type Editor } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { FACILITATOR_FIELD, type FacilitatorPresence, type PageBounds } from '@kompasbord/shared/session-awareness'
import { SummonTracker, boundsDiffer, facilitatorsIn, leaderOf } from './follow'
import { useSessionContext } from './session-context'

/** How often at most a facilitator board publishes its viewport. */
export const VIEWPORT_THROTTLE_MS = 100

function viewportOf(editor: Editor): PageBounds {
	const b = editor.getViewportPageBounds()
	return { x: b.x, y: b.y, w: b.w, h: b.h }
}

function moveTo(editor: Editor, bounds: PageBounds, animate: boolean): void {
	editor.stopCameraAnimation()
	editor.zoomToBounds(bounds, {
		inset: 0,
		force: true,
		...(animate ? { animation: { duration: 400 } } : { immediate: true }),
	})
}

/**
 * Publishes a facilitator board's viewport (and, on "Iedereen naar mij", a summon) in its awareness state.
 * Returns the function that summons everyone to the current view, and the stop function.
 */
export function startFacilitatorPresence(editor: Editor, awareness: Awareness): { summon(): void; stop(): void } {
	let presence: FacilitatorPresence = { viewport: viewportOf(editor), viewportAt: Date.now(), summon: null }
	let timer: ReturnType<typeof setTimeout> | null = null
	let lastSent = 0
	const publish = () => {
		timer = null
		lastSent = Date.now()
		awareness.setLocalStateField(FACILITATOR_FIELD, presence)
	}
	const schedule = () => {
		if (timer) return
		timer = setTimeout(publish, Math.max(0, lastSent + VIEWPORT_THROTTLE_MS - Date.now()))
	}
	const stopReacting = react('kompasbord facilitator viewport', () => {
		const viewport = viewportOf(editor)
		if (!boundsDiffer(viewport, presence.viewport)) return
		presence = { ...presence, viewport, viewportAt: Date.now() }
		schedule()
	})
	publish()
	return {
		summon() {
			const viewport = viewportOf(editor)
			presence = {
				viewport,
				viewportAt: Date.now(),
				summon: { seq: Math.max(Date.now(), (presence.summon?.seq ?? 0) + 1), bounds: viewport },
			}
			if (timer) clearTimeout(timer)
			publish()
		},
		stop() {
			stopReacting()
			if (timer) clearTimeout(timer)
			awareness.setLocalStateField(FACILITATOR_FIELD, null)
		},
	}
}

/**
 * "Iedereen naar mij" and follow mode on a participant's or viewer's board: moves the camera to a summon the
 * facilitator sends, and offers to follow the facilitator's view (stopped by the button, or by zooming or
 * panning with wheel or pinch). On a facilitator board it publishes the view instead; `registerSummon` gets
 * the function the panel's button calls.
 */
export function FollowLayer({
	registerSummon,
	following,
	setFollowing,
}: {
	registerSummon(summon: (() => void) | null): void
	/** Whether this board follows the facilitator (kept by the session layer: the presenter view needs it too). */
	following: boolean
	setFollowing(following: boolean | ((following: boolean) => boolean)): void
}) {
	const { editor, awareness, role, t } = useSessionContext()
	const [summoned, setSummoned] = useState(false)
	const [hasFacilitator, setHasFacilitator] = useState(false)
	const followingRef = useRef(following)
	followingRef.current = following

	useEffect(() => {
		if (role !== 'facilitator') return
		const presence = startFacilitatorPresence(editor, awareness)
		registerSummon(presence.summon)
		return () => {
			registerSummon(null)
			presence.stop()
		}
	}, [editor, awareness, role, registerSummon])

	useEffect(() => {
		if (role === 'facilitator') return
		const tracker = new SummonTracker()
		let lastFollowed: PageBounds | null = null
		let summonTimer: ReturnType<typeof setTimeout> | null = null
		const onChange = () => {
			const facilitators = facilitatorsIn(awareness.getStates(), awareness.clientID)
			setHasFacilitator(facilitators.length > 0)
			const summon = tracker.take(facilitators)
			if (summon) {
				moveTo(editor, summon.bounds, true)
				setSummoned(true)
				if (summonTimer) clearTimeout(summonTimer)
				summonTimer = setTimeout(() => setSummoned(false), 5000)
				lastFollowed = summon.bounds
				return
			}
			if (!followingRef.current) return
			const leader = leaderOf(facilitators)
			const viewport = leader?.presence.viewport ?? null
			if (viewport && boundsDiffer(viewport, lastFollowed)) {
				moveTo(editor, viewport, false)
				lastFollowed = viewport
			}
		}
		awareness.on('change', onChange)
		onChange()
		return () => {
			awareness.off('change', onChange)
			if (summonTimer) clearTimeout(summonTimer)
		}
	}, [editor, awareness, role])

	useEffect(() => {
		if (!following) return
		// Jump to the facilitator's view at once, then track it (above).
		const leader = leaderOf(facilitatorsIn(awareness.getStates(), awareness.clientID))
		if (leader?.presence.viewport) moveTo(editor, leader.presence.viewport, true)
		const onEvent = (info: { type: string }) => {
			if (info.type === 'wheel' || info.type === 'pinch') setFollowing(false)
		}
		editor.on('event', onEvent)
		return () => {
			editor.off('event', onEvent)
		}
	}, [following, editor, awareness, setFollowing])

	if (role === 'facilitator') return null
	return (
		<div className="kb-follow" data-testid="follow-controls" data-following={following}>
			{(hasFacilitator || following) && (
				<button
					type="button"
					className={following ? 'kb-follow__button kb-follow__button--on' : 'kb-follow__button'}
					data-testid="follow-toggle"
					aria-pressed={following}
					onClick={() => setFollowing((f) => !f)}
				>
					{following ? t('follow.stop') : t('follow.start')}
				</button>
			)}
			{following && <span className="kb-follow__status">{t('follow.following')}</span>}
			{summoned && (
				<span className="kb-follow__status" role="status" data-testid="summoned">
					{t('follow.summoned')}
				</span>
			)}
		</div>
	)
}
