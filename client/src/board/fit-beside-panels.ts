import { Box, type Editor, type TLCameraMoveOptions } from 'tldraw'

/**
 * Zoom-to-fit beside the panels: the board's content is fitted into the part of the window that no panel
 * covers (the facilitator's Sessie panel, the ranking, the timer, tldraw's menus, style panel and toolbar),
 * so at zoom-to-fit no panel hides a zone.
 */

/** A rectangle in screen pixels. */
export interface ScreenRect {
	x: number
	y: number
	w: number
	h: number
}

/** What covers the canvas: our panels and tldraw's own. */
export const PANEL_SELECTOR = [
	'.kb-session-panel',
	'.kb-session-panel__open',
	'.kb-private-panel',
	'.kb-screening-panel',
	'.kb-screening-panel__open',
	'.kb-ranking',
	'.kb-timer',
	'.kb-follow',
	'.kb-topbar',
	'.kb-share-zone',
	'.tlui-menu-zone',
	'.tlui-style-panel',
	'.tlui-main-toolbar__inner',
	'.tlui-navigation-panel',
].join(',')

/** Space kept between the content and the panels or the window's edge, in pixels. */
export const FIT_MARGIN_PX = 16

/**
 * The free part of `container` once every obstacle is cut off along the side where cutting it costs least: a
 * tall panel at the left edge takes a strip off the left, a toolbar along the bottom a strip off the bottom.
 */
export function freeArea(container: ScreenRect, obstacles: readonly ScreenRect[], margin = FIT_MARGIN_PX): ScreenRect {
	let left = 0
	let right = 0
	let top = 0
	let bottom = 0
	const cRight = container.x + container.w
	const cBottom = container.y + container.h
	for (const o of obstacles) {
		const oRight = o.x + o.w
		const oBottom = o.y + o.h
		if (o.w <= 0 || o.h <= 0 || oRight <= container.x || o.x >= cRight || oBottom <= container.y || o.y >= cBottom)
			continue
		const options = [
			{ side: 'left', inset: oRight - container.x, cost: (oRight - container.x) / container.w },
			{ side: 'right', inset: cRight - o.x, cost: (cRight - o.x) / container.w },
			{ side: 'top', inset: oBottom - container.y, cost: (oBottom - container.y) / container.h },
			{ side: 'bottom', inset: cBottom - o.y, cost: (cBottom - o.y) / container.h },
		]
		const best = options.reduce((a, b) => (b.cost < a.cost ? b : a))
		if (best.side === 'left') left = Math.max(left, best.inset)
		else if (best.side === 'right') right = Math.max(right, best.inset)
		else if (best.side === 'top') top = Math.max(top, best.inset)
		else bottom = Math.max(bottom, best.inset)
	}
	const x = container.x + left + margin
	const y = container.y + top + margin
	return {
		x,
		y,
		w: Math.max(1, container.w - left - right - 2 * margin),
		h: Math.max(1, container.h - top - bottom - 2 * margin),
	}
}

/** The camera (tldraw's: screen = (page + camera) × z) that shows `bounds` centred in `area`, zoom clamped. */
export function cameraFor(
	bounds: ScreenRect,
	area: ScreenRect,
	minZoom: number,
	maxZoom: number
): { x: number; y: number; z: number } {
	const z = Math.max(minZoom, Math.min(maxZoom, area.w / bounds.w, area.h / bounds.h))
	return {
		x: (area.x + area.w / 2) / z - (bounds.x + bounds.w / 2),
		y: (area.y + area.h / 2) / z - (bounds.y + bounds.h / 2),
		z,
	}
}

/** The screen rectangles of what covers the canvas now. */
export function panelRects(root: ParentNode = document): ScreenRect[] {
	return [...root.querySelectorAll<HTMLElement>(PANEL_SELECTOR)].map((el) => {
		const r = el.getBoundingClientRect()
		return { x: r.x, y: r.y, w: r.width, h: r.height }
	})
}

/** Fits the board's visible shapes beside the panels; false when there is nothing to fit. */
export function fitBesidePanels(editor: Editor, opts?: TLCameraMoveOptions): boolean {
	const ids = [...editor.getCurrentPageShapeIds()].filter((id) => !editor.isShapeHidden(id))
	const boxes = ids.map((id) => editor.getShapePageBounds(id)).filter((b): b is Box => Boolean(b))
	if (boxes.length === 0) return false
	const bounds = Box.Common(boxes)
	const screen = editor.getViewportScreenBounds()
	// Viewport coordinates: relative to the canvas container.
	const container = { x: 0, y: 0, w: screen.w, h: screen.h }
	const obstacles = panelRects().map((r) => ({ ...r, x: r.x - screen.x, y: r.y - screen.y }))
	const steps = editor.getCameraOptions().zoomSteps
	const base = editor.getBaseZoom()
	const camera = cameraFor(bounds, freeArea(container, obstacles), steps[0] * base, steps[steps.length - 1] * base)
	editor.setCamera(camera, opts)
	return true
}

/**
 * Makes the editor's `zoomToFit` (tldraw's menu, Shift+1, and the board's first view) fit beside the panels,
 * fits once now, and again whenever a panel appears, disappears or changes size while the view is still the
 * fitted one. Returns the function that undoes it.
 */
export function installPanelAwareFit(editor: Editor, board: HTMLElement): () => void {
	const original = editor.zoomToFit
	let fitted: { x: number; y: number; z: number } | null = null
	const fit = (opts?: TLCameraMoveOptions) => {
		if (!fitBesidePanels(editor, opts)) original.call(editor, opts)
		const target = editor.getCamera()
		fitted = opts?.animation ? null : { x: target.x, y: target.y, z: target.z }
		return editor
	}
	editor.zoomToFit = fit
	const stillFitted = () => {
		if (!fitted) return false
		const c = editor.getCamera()
		return Math.abs(c.x - fitted.x) < 0.5 && Math.abs(c.y - fitted.y) < 0.5 && Math.abs(c.z - fitted.z) < 1e-4
	}
	let frame: number | null = null
	const refit = () => {
		if (frame !== null) return
		frame = requestAnimationFrame(() => {
			frame = null
			if (stillFitted()) fit({ immediate: true })
		})
	}
	const resizes = new ResizeObserver(refit)
	const observePanels = () => {
		resizes.disconnect()
		for (const el of board.querySelectorAll(PANEL_SELECTOR)) resizes.observe(el)
		refit()
	}
	const mutations = new MutationObserver(observePanels)
	mutations.observe(board, { childList: true })
	fit({ immediate: true })
	observePanels()
	return () => {
		editor.zoomToFit = original
		mutations.disconnect()
		resizes.disconnect()
		if (frame !== null) cancelAnimationFrame(frame)
	}
}
