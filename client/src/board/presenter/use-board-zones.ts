import { useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { RECORDS_MAP, SESSION_MAP, VOTES_MAP } from '@kompasbord/shared'
import { PRESENTER_KEY, readPresenterState, type PresenterState } from '@kompasbord/shared/presenter'
import { zoneContents, type ZoneContent } from '@kompasbord/shared/zone-contents'
import type { TLRecord } from 'tldraw'

/** A number that changes (at most once per animation frame) whenever one of the doc's `mapNames` changes. */
export function useDocVersion(doc: Y.Doc, mapNames: readonly string[]): number {
	const [version, setVersion] = useState(0)
	const key = mapNames.join('\u0000')
	useEffect(() => {
		let frame: number | null = null
		const onChange = () => {
			if (frame !== null) return
			frame = requestAnimationFrame(() => {
				frame = null
				setVersion((v) => v + 1)
			})
		}
		const maps = key.split('\u0000').map((name) => doc.getMap(name))
		for (const map of maps) map.observe(onChange)
		return () => {
			for (const map of maps) map.unobserve(onChange)
			if (frame !== null) cancelAnimationFrame(frame)
		}
	}, [doc, key])
	return version
}

const SESSION_MAPS = [SESSION_MAP]
const CONTENT_MAPS = [RECORDS_MAP, VOTES_MAP]

/** The presenter state in the doc's session map (the server writes it). */
export function usePresenterState(doc: Y.Doc): PresenterState {
	const version = useDocVersion(doc, SESSION_MAPS)
	const raw = JSON.stringify(doc.getMap<unknown>(SESSION_MAP).get(PRESENTER_KEY) ?? null)
	// biome-ignore lint/correctness/useExhaustiveDependencies: version and raw say when to read again
	return useMemo(() => readPresenterState(JSON.parse(raw)), [raw, version])
}

/** Reads the zones of a doc now (see {@link zoneContents}). */
export function readZoneContents(doc: Y.Doc, zoneOrder: readonly string[] | null): ZoneContent[] {
	return zoneContents(
		doc.getMap<TLRecord>(RECORDS_MAP).toJSON() as Record<string, TLRecord>,
		doc.getMap<number>(VOTES_MAP).toJSON() as Record<string, number>,
		zoneOrder ?? undefined
	)
}

/** The board's zones with their wording and ranked notes, live, in `zoneOrder` (worksheet order). */
export function useZoneContents(doc: Y.Doc, zoneOrder: readonly string[] | null): ZoneContent[] {
	const version = useDocVersion(doc, CONTENT_MAPS)
	// biome-ignore lint/correctness/useExhaustiveDependencies: version says when the doc changed
	return useMemo(() => readZoneContents(doc, zoneOrder), [doc, zoneOrder, version])
}
