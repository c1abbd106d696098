import { useCallback, useEffect, useRef, useState } from 'react'
import type { PresenterChange, PresenterState } from '@kompasbord/shared/presenter'
import { ApiError, fetchRoom } from '../../api'
import { useSessionContext } from '../facilitator/session-context'
import { setPresenter } from './presenter-api'
import { PresenterView, step } from './PresenterView'
import { presenterText } from './strings'
import { usePresenterState, useZoneContents } from './use-board-zones'

/**
 * The room's zone ids in worksheet order (`GET /api/rooms/:roomId`), null until known; empty (the frames' order)
 * when the server cannot say.
 */
function useZoneOrder(roomId: string): readonly string[] | null {
	const [order, setOrder] = useState<readonly string[] | null>(null)
	useEffect(() => {
		const abort = new AbortController()
		fetchRoom(roomId, abort.signal).then(
			(room) => setOrder(room.zones.map((z) => z.id)),
			() => {
				if (!abort.signal.aborted) setOrder([])
			}
		)
		return () => abort.abort()
	}, [roomId])
	return order
}

function isTyping(target: EventTarget | null): boolean {
	const element = target as HTMLElement | null
	return Boolean(element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)))
}

/** Props of {@link PresenterLayer}. */
export interface PresenterLayerProps {
	/** Whether this (participant or viewer) board follows the facilitator. */
	following: boolean
	onStopFollowing(): void
}

/**
 * The presenter view on a board: on the facilitator's board with its controls (buttons, arrow keys, Page
 * Up/Down from a presentation clicker, Home for the overview, Escape back to the board), on boards in follow
 * mode the same zone, without controls. The state lives in the doc's session map, set through the server.
 */
export function PresenterLayer({ following, onStopFollowing }: PresenterLayerProps) {
	const { doc, role } = useSessionContext()
	const state = usePresenterState(doc)
	if (state.mode === 'off') return null
	if (role !== 'facilitator' && !following) return null
	return role === 'facilitator' ? (
		<FacilitatorPresenter state={state} />
	) : (
		<FollowingPresenter state={state} onStopFollowing={onStopFollowing} />
	)
}

function FollowingPresenter({ state, onStopFollowing }: { state: PresenterState; onStopFollowing(): void }) {
	const { doc, roomId, language } = useSessionContext()
	const order = useZoneOrder(roomId)
	const zones = useZoneContents(doc, order)
	// Shown once the worksheet order is known, so zones never change places under the viewer's eyes.
	if (!order) return null
	return (
		<PresenterView zones={zones} state={state} language={language} onChange={null} onStopFollowing={onStopFollowing} />
	)
}

function FacilitatorPresenter({ state }: { state: PresenterState }) {
	const { doc, roomId, language } = useSessionContext()
	const order = useZoneOrder(roomId)
	return order ? <FacilitatorPresenterView state={state} order={order} /> : null
}

function FacilitatorPresenterView({ state, order }: { state: PresenterState; order: readonly string[] }) {
	const { doc, language } = useSessionContext()
	const zones = useZoneContents(doc, order)
	const change = usePresenterChange()
	// Steps build on the last request, so quick presses of a clicker do not all start from the same zone.
	const wanted = useRef(state)
	useEffect(() => {
		wanted.current = state
	}, [state])
	const go = useCallback(
		(next: PresenterChange) => {
			wanted.current = { mode: next.mode, zoneId: next.zoneId ?? null }
			change.run(next)
		},
		[change]
	)

	useEffect(() => {
		const onKey = (event: KeyboardEvent) => {
			if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return
			let next: PresenterChange | null = null
			switch (event.key) {
				case 'ArrowRight':
				case 'ArrowDown':
				case 'PageDown':
					next = step(zones, wanted.current, 1)
					break
				case 'ArrowLeft':
				case 'ArrowUp':
				case 'PageUp':
					next = step(zones, wanted.current, -1)
					break
				case 'Home':
					next = { mode: 'overview' }
					break
				case 'End':
					if (zones.length > 0) next = { mode: 'zone', zoneId: zones[zones.length - 1].zoneId }
					break
				case 'Escape':
					next = { mode: 'off' }
					break
			}
			if (!next) return
			event.preventDefault()
			event.stopPropagation()
			go(next)
		}
		window.addEventListener('keydown', onKey, true)
		return () => window.removeEventListener('keydown', onKey, true)
	}, [zones, go])

	return <PresenterView zones={zones} state={state} language={language} onChange={go} error={change.error} />
}

/** Sends presenter changes to the server (facilitator key), one at a time, the newest winning; with its error text. */
function usePresenterChange(): { run(change: PresenterChange): void; error: string | null } {
	const { roomId, facilitatorKey, language } = useSessionContext()
	const [error, setError] = useState<string | null>(null)
	const queue = useRef<{ busy: boolean; next: PresenterChange | null }>({ busy: false, next: null })
	const run = useCallback(
		(change: PresenterChange) => {
			const q = queue.current
			q.next = change
			if (q.busy || !facilitatorKey) return
			q.busy = true
			void (async () => {
				while (q.next) {
					const sending = q.next
					q.next = null
					try {
						await setPresenter(roomId, facilitatorKey, sending)
						setError(null)
					} catch (e) {
						setError(
							presenterText(language, 'presenter.failed', { message: e instanceof ApiError ? e.message : String(e) })
						)
					}
				}
				q.busy = false
			})()
		},
		[roomId, facilitatorKey, language]
	)
	return { run, error }
}

/** The "Zone in beeld" button of the facilitator's panel: opens the overview on the projector. */
export function PresenterButton() {
	const { language } = useSessionContext()
	const change = usePresenterChange()
	return (
		<>
			<button
				type="button"
				className="kb-primary"
				data-testid="presenter-open"
				onClick={() => change.run({ mode: 'overview' })}
			>
				{presenterText(language, 'presenter.open')}
			</button>
			{change.error && (
				<p className="kb-session-error" role="alert">
					{change.error}
				</p>
			)}
		</>
	)
}
