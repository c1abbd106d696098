/**
 * Zone geometry on a board's records: where each zone's frame is in page space, which zone a shape belongs
 * to, and where the next note of a zone goes. Works on plain tldraw records (e.g. the values of the room's
 * records map), so the server, the exports and the client all agree.
 *
 * @packageDocumentation
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { STRUCTURE_KIND } from './doc-layout'
import {
	NOTE_SIZE,
	noteScaleSteps,
	placeNote,
	type PlacementOptions,
	type PlacementRect,
	type PlacementResult,
} from './placement'
import { indexKeyAbove } from './template-shapes'

/** Records to look in: a list, an id → record object (such as `yMap.toJSON()`), or a Map. */
export type RecordSource = Iterable<TLRecord> | ReadonlyMap<string, TLRecord> | Readonly<Record<string, TLRecord>>

/** A zone's frame with its axis-aligned bounds in page coordinates. */
export interface ZoneFrame {
	zoneId: string
	frameId: TLShape['id']
	x: number
	y: number
	w: number
	h: number
	/** `meta.headerHeight` of the frame (0 when absent): the top strip where notes do not go. */
	headerHeight: number
}

/** Indexes records by id. A Map is used as is. */
export function recordMap(records: RecordSource): ReadonlyMap<string, TLRecord> {
	if (records instanceof Map) return records
	if (Symbol.iterator in (records as object)) {
		const map = new Map<string, TLRecord>()
		for (const r of records as Iterable<TLRecord>) map.set(r.id, r)
		return map
	}
	return new Map(Object.entries(records as Record<string, TLRecord>))
}

/** A 2D affine transform `[a, b, c, d, e, f]`: x' = a·x + c·y + e, y' = b·x + d·y + f. */
type Matrix = [number, number, number, number, number, number]

function multiply(m: Matrix, n: Matrix): Matrix {
	return [
		m[0] * n[0] + m[2] * n[1],
		m[1] * n[0] + m[3] * n[1],
		m[0] * n[2] + m[2] * n[3],
		m[1] * n[2] + m[3] * n[3],
		m[0] * n[4] + m[2] * n[5] + m[4],
		m[1] * n[4] + m[3] * n[5] + m[5],
	]
}

function apply(m: Matrix, x: number, y: number): { x: number; y: number } {
	return { x: m[0] * x + m[2] * y + m[4], y: m[1] * x + m[3] * y + m[5] }
}

function isShape(record: TLRecord | undefined): record is TLShape {
	return record?.typeName === 'shape'
}

/** The transform from a shape's own coordinates to page coordinates (parents' positions and rotations applied). */
function pageTransform(shape: TLShape, records: ReadonlyMap<string, TLRecord>): Matrix {
	let m: Matrix = [1, 0, 0, 1, 0, 0]
	let current: TLShape | undefined = shape
	const seen = new Set<string>()
	while (current && !seen.has(current.id)) {
		seen.add(current.id)
		const rotation = finite(current.rotation)
		const cos = Math.cos(rotation)
		const sin = Math.sin(rotation)
		m = multiply([cos, sin, -sin, cos, finite(current.x), finite(current.y)], m)
		const parent: TLRecord | undefined = records.get(current.parentId)
		current = isShape(parent) ? parent : undefined
	}
	return m
}

/**
 * A shape's size in its own coordinates: notes are 200 × (200 + growY) times `scale`; shapes with `w`/`h`
 * props use them (times `scale` for text, whose height is unknown here and taken as 0).
 */
export function shapeSize(shape: TLShape): { w: number; h: number } {
	// Defensive: a record that slipped past validation (an old room) must not break every reader.
	const props = (shape.props ?? {}) as Record<string, unknown>
	const scale = typeof props.scale === 'number' ? props.scale : 1
	if (shape.type === 'note') {
		const growY = typeof props.growY === 'number' ? props.growY : 0
		return { w: NOTE_SIZE * scale, h: (NOTE_SIZE + growY) * scale }
	}
	const w = typeof props.w === 'number' ? props.w : 0
	const h = typeof props.h === 'number' ? props.h : 0
	const growY = typeof props.growY === 'number' ? props.growY : 0
	if (shape.type === 'text') return { w: w * scale, h: 0 }
	return { w, h: h + growY }
}

function pageBounds(shape: TLShape, records: ReadonlyMap<string, TLRecord>) {
	const m = pageTransform(shape, records)
	const { w, h } = shapeSize(shape)
	const corners = [apply(m, 0, 0), apply(m, w, 0), apply(m, 0, h), apply(m, w, h)]
	const xs = corners.map((p) => p.x)
	const ys = corners.map((p) => p.y)
	const x = Math.min(...xs)
	const y = Math.min(...ys)
	return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y }
}

function finite(n: unknown): number {
	return typeof n === 'number' && Number.isFinite(n) ? n : 0
}

/** A shape's `meta`, or an empty object when it has none (a malformed record). */
function metaOf(shape: TLShape): Record<string, unknown> {
	const meta = shape.meta as unknown
	return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {}
}

/**
 * The zone a frame is: only the template's structure frames (`meta.kind: 'structure'` with `meta.zoneId`)
 * are zones — a frame someone drew is not, whatever its meta says.
 */
function zoneIdOf(shape: TLShape): string | undefined {
	const meta = metaOf(shape)
	if (shape.type !== 'frame' || meta.kind !== STRUCTURE_KIND) return undefined
	return typeof meta.zoneId === 'string' ? meta.zoneId : undefined
}

/**
 * Every zone's frame (a structure frame with `meta.zoneId`) with its bounds in page coordinates, by zone id.
 * Should two frames claim one zone, the one with the smallest id wins.
 */
export function zoneFrames(records: RecordSource): Map<string, ZoneFrame> {
	const map = recordMap(records)
	const frames = new Map<string, ZoneFrame>()
	const shapes = [...map.values()].filter(isShape).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
	for (const shape of shapes) {
		const zoneId = zoneIdOf(shape)
		if (zoneId === undefined || frames.has(zoneId)) continue
		const headerHeight = metaOf(shape).headerHeight
		frames.set(zoneId, {
			zoneId,
			frameId: shape.id,
			...pageBounds(shape, map),
			headerHeight: typeof headerHeight === 'number' ? headerHeight : 0,
		})
	}
	return frames
}

/**
 * The zone a shape (typically a sticky note) belongs to: the `meta.zoneId` of the nearest zone frame among
 * its ancestors; else the zone whose frame contains the shape's centre in page space (the smallest such
 * frame); else undefined — the shape is in no zone ("Overig"). The shape need not be in `records` itself.
 */
export function zoneOfShape(shape: TLShape, records: RecordSource): string | undefined {
	const map = recordMap(records)
	const seen = new Set<string>([shape.id])
	let parent = map.get(shape.parentId)
	while (isShape(parent) && !seen.has(parent.id)) {
		seen.add(parent.id)
		const zoneId = zoneIdOf(parent)
		if (zoneId !== undefined) return zoneId
		parent = map.get(parent.parentId)
	}
	const { w, h } = shapeSize(shape)
	const centre = apply(pageTransform(shape, map), w / 2, h / 2)
	let best: ZoneFrame | undefined
	for (const frame of zoneFrames(map).values()) {
		if (frame.frameId === shape.id) continue
		const inside =
			centre.x >= frame.x && centre.x <= frame.x + frame.w && centre.y >= frame.y && centre.y <= frame.y + frame.h
		if (inside && (!best || frame.w * frame.h < best.w * best.h)) best = frame
	}
	return best?.zoneId
}

/** Where a new note of a zone goes, as {@link placeNoteInZone} answers. */
export interface ZonePlacement extends PlacementResult {
	/** The zone frame's id: the note's `parentId`. */
	frameId: TLShape['id']
	/** An index key above all the frame's children: the note's `index`. */
	index: TLShape['index']
}

/**
 * Places a new note in a zone: finds the zone's frame, takes the frame's non-structure children as
 * obstacles (frame-relative bounds, scale applied) and the frame's `meta.headerHeight` as top inset, and
 * runs {@link placeNote} with the frame's note sizing (`meta.noteScale` down to `meta.minNoteScale`, growing
 * up to `meta.growLimitH` before shrinking; options given here win). Undefined when the board has no frame
 * for the zone.
 * @param note - the note's size at scale 1; default 200 × 200.
 */
export function placeNoteInZone(
	records: RecordSource,
	zoneId: string,
	note: { w: number; h: number } = { w: NOTE_SIZE, h: NOTE_SIZE },
	options: Omit<PlacementOptions, 'topInset'> = {}
): ZonePlacement | undefined {
	const map = recordMap(records)
	const zone = zoneFrames(map).get(zoneId)
	if (!zone) return undefined
	const frame = map.get(zone.frameId) as TLShape
	const frameSize = shapeSize(frame)
	const props = { w: frameSize.w, h: frameSize.h - finite((frame.props as { growY?: unknown } | undefined)?.growY) }
	const obstacles: PlacementRect[] = []
	const indices: string[] = []
	for (const r of map.values()) {
		if (!isShape(r) || r.parentId !== frame.id) continue
		if (typeof r.index === 'string') indices.push(r.index)
		if (metaOf(r).kind === STRUCTURE_KIND) continue
		const { w, h } = shapeSize(r)
		const cos = Math.cos(finite(r.rotation))
		const sin = Math.sin(finite(r.rotation))
		const xs = [0, w * cos, -h * sin, w * cos - h * sin]
		const ys = [0, w * sin, h * cos, w * sin + h * cos]
		const x = r.x + Math.min(...xs)
		const y = r.y + Math.min(...ys)
		obstacles.push({ x, y, w: r.x + Math.max(...xs) - x, h: r.y + Math.max(...ys) - y })
	}
	const meta = metaOf(frame)
	const sizing: Omit<PlacementOptions, 'topInset'> = {}
	if (typeof meta.noteScale === 'number' && meta.noteScale > 0) {
		const min = typeof meta.minNoteScale === 'number' && meta.minNoteScale > 0 ? meta.minNoteScale : meta.noteScale
		sizing.scales = noteScaleSteps(meta.noteScale, min)
	}
	if (typeof meta.growLimitH === 'number') sizing.growLimitH = meta.growLimitH
	const placed = placeNote({ w: props.w, h: props.h }, obstacles, note, {
		...sizing,
		...options,
		topInset: zone.headerHeight,
	})
	return { ...placed, frameId: frame.id, index: indexKeyAbove(indices) }
}

/** Page-level bounds of a shape as {@link growZone} sees them (text shapes count with no height). */
function pageLevelBounds(shape: TLShape): { x: number; y: number; w: number; h: number } {
	const { w, h } = shapeSize(shape)
	if (shape.type === 'arrow') {
		const props = (shape.props ?? {}) as { start?: { x: number; y: number }; end?: { x: number; y: number } }
		const xs = [0, props.start?.x ?? 0, props.end?.x ?? 0]
		const ys = [0, props.start?.y ?? 0, props.end?.y ?? 0]
		return {
			x: shape.x + Math.min(...xs),
			y: shape.y + Math.min(...ys),
			w: Math.max(...xs) - Math.min(...xs),
			h: Math.max(...ys) - Math.min(...ys),
		}
	}
	return { x: shape.x, y: shape.y, w, h }
}

/** Space kept between a grown panel's bottom edge and the lowest thing in it, at most (board units). */
const PANEL_MARGIN = 40

/**
 * Grows a zone's frame to `to` (never smaller than it is) and keeps the board tidy around it: every shape on
 * the page below the frame's old bottom edge that shares columns with it — or with a shape moved down in turn —
 * moves down by the growth; a panel (geo shape) holding the frame grows only as far as its contents now need
 * (keeping its margin, at most {@link PANEL_MARGIN}), and what lies below the panel moves down by that much. Only
 * shapes directly on the page move (their children move with them). Returns the changed records (the frame
 * first); records are not modified in place. Undefined when the board has no frame with this id.
 */
export function growZone(records: RecordSource, frameId: string, to: { w: number; h: number }): TLShape[] | undefined {
	const map = recordMap(records)
	const frame = map.get(frameId)
	if (!isShape(frame) || frame.type !== 'frame') return undefined
	const props = shapeSize(frame)
	const w = Math.max(props.w, to.w)
	const h = Math.max(props.h, to.h)
	const grownFrame = { ...frame, props: { ...frame.props, w, h } } as TLShape
	const dh = h - props.h
	if (dh <= 0 || map.get(frame.parentId)?.typeName === 'shape') return [grownFrame]
	const eps = 0.5
	const old = { x: frame.x, y: frame.y, w: props.w, h: props.h }
	const pageShapes = [...map.values()]
		.filter((r): r is TLShape => isShape(r) && r.parentId === frame.parentId && r.id !== frame.id)
		.map((shape) => ({ shape, b: pageLevelBounds(shape) }))
		.sort((a, b) => a.b.y - b.b.y || (a.shape.id < b.shape.id ? -1 : 1))
	const holds = (
		outer: { x: number; y: number; w: number; h: number },
		inner: { x: number; y: number; w: number; h: number }
	) =>
		outer.x <= inner.x + eps &&
		outer.x + outer.w >= inner.x + inner.w - eps &&
		outer.y <= inner.y + eps &&
		outer.y + outer.h >= inner.y + inner.h - eps
	const sharesColumns = (a: { x: number; w: number }, b: { x: number; w: number }) =>
		a.x < b.x + b.w - eps && b.x < a.x + a.w - eps
	const panels = pageShapes.filter(({ shape, b }) => shape.type === 'geo' && holds(b, old))
	// Frames and boxes in the same grid row (same top and height: the zone beside it, a matrix row header) grow
	// along, so a grid stays a grid.
	const peers = pageShapes.filter(
		({ shape, b }) =>
			(shape.type === 'frame' || shape.type === 'geo') &&
			!panels.some((p) => p.shape.id === shape.id) &&
			Math.abs(b.y - old.y) < eps &&
			Math.abs(b.h - old.h) < eps
	)
	const others = pageShapes.filter((entry) => !panels.includes(entry) && !peers.includes(entry))
	// Pass 1: what lies below the frame and its peers (or below something moved) moves down by the growth.
	const moved = new Map<string, number>()
	const pushed: { x: number; w: number; bottom: number }[] = [old, ...peers.map((p) => p.b)].map((r) => ({
		x: r.x,
		w: r.w,
		bottom: r.y + r.h,
	}))
	for (const { shape, b } of others) {
		if (pushed.some((p) => b.y >= p.bottom - eps && sharesColumns(b, p))) {
			moved.set(shape.id, dh)
			pushed.push({ x: b.x, w: b.w, bottom: b.y + b.h })
		}
	}
	// Pass 2: each panel holding the frame grows as far as its contents now reach; what lies below it follows.
	const panelGrowth = new Map<string, number>()
	for (const { shape, b } of panels) {
		const contents = [...others, ...peers].filter((o) => holds(b, o.b))
		const oldBottom = Math.max(old.y + old.h, ...contents.map((o) => o.b.y + o.b.h))
		const newBottom = Math.max(old.y + h, ...contents.map((o) => o.b.y + o.b.h + (moved.get(o.shape.id) ?? 0)))
		// (peers end where the frame now ends)
		const margin = Math.min(PANEL_MARGIN, b.y + b.h - oldBottom)
		const growth = Math.max(0, newBottom + margin - (b.y + b.h))
		if (growth <= 0) continue
		panelGrowth.set(shape.id, growth)
		for (const o of others) {
			if (moved.has(o.shape.id) || holds(b, o.b)) continue
			if (o.b.y >= b.y + b.h - eps && sharesColumns(o.b, b)) moved.set(o.shape.id, growth)
		}
	}
	const changed: TLShape[] = [grownFrame]
	for (const { shape } of peers) {
		const peerProps = shape.props as { h: number }
		changed.push({ ...shape, props: { ...shape.props, h: peerProps.h + dh } } as TLShape)
	}
	for (const { shape } of pageShapes) {
		if (peers.some((p) => p.shape.id === shape.id)) continue
		const growth = panelGrowth.get(shape.id)
		if (growth !== undefined) {
			changed.push({ ...shape, props: { ...shape.props, h: (shape.props as { h: number }).h + growth } } as TLShape)
			continue
		}
		const by = moved.get(shape.id)
		if (by !== undefined) changed.push({ ...shape, y: shape.y + by })
	}
	return changed
}
