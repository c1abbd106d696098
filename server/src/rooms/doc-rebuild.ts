/**
 * Rebuilding a room's doc without its history.
 *
 * Every change of a record replaces the whole value in the records map, and Yjs keeps a tombstone item for each
 * value it replaced: a note moved twenty times leaves twenty tombstones, which every client decodes on load. A
 * rebuild writes the current content of every map into a fresh doc (new items, one client id), so a room that
 * was busy for a day loads as fast as a fresh one.
 *
 * The price: a client that still holds the old doc cannot merge with the new one (its items would come back as
 * duplicates of history). So a rebuild happens only when nobody is connected (the room is unloading), the client
 * ids of the old doc are kept as "retired", and a client whose state vector names a retired client id is told to
 * reload the board (close code {@link CloseCode.docReplaced}); the board then carries its unsent changes over.
 */
import * as Y from 'yjs'

/** Below this many tombstones a rebuild is not worth forcing old clients to reload. */
export const REBUILD_MIN_TOMBSTONES = 500

/** What a doc's struct store holds. */
export interface DocHistoryStats {
	/** Map entries (records, session fields, votes) the doc holds now. */
	liveEntries: number
	/** Deleted items kept as tombstones (replaced or removed values). */
	tombstones: number
}

/** The doc's root types as maps; null when a root type is something else (such a doc is never rebuilt). */
function rootMaps(doc: Y.Doc): Map<string, Y.Map<unknown>> | null {
	const maps = new Map<string, Y.Map<unknown>>()
	for (const name of doc.share.keys()) {
		try {
			maps.set(name, doc.getMap<unknown>(name))
		} catch {
			return null
		}
	}
	return maps
}

/** Counts the doc's live map entries and its tombstones. */
export function docHistoryStats(doc: Y.Doc): DocHistoryStats {
	let tombstones = 0
	for (const structs of doc.store.clients.values()) {
		for (const struct of structs) if (struct instanceof Y.Item && struct.deleted) tombstones++
	}
	let liveEntries = 0
	for (const type of doc.share.values()) if (type instanceof Y.Map) liveEntries += type.size
	return { liveEntries, tombstones }
}

/** Whether a rebuild pays: at least {@link REBUILD_MIN_TOMBSTONES}, and more tombstones than live entries. */
export function worthRebuilding(stats: DocHistoryStats): boolean {
	return stats.tombstones >= REBUILD_MIN_TOMBSTONES && stats.tombstones >= stats.liveEntries
}

/** A rebuilt doc and the client ids of the doc it replaces. */
export interface RebuiltDoc {
	doc: Y.Doc
	/** Every client id that wrote into the old doc: a peer whose state names one holds the old doc. */
	retiredClients: number[]
}

/**
 * The doc's current content in a fresh doc without history; null when the doc holds anything but maps of plain
 * values (nested shared types would lose their identity), in which case it is kept as it is.
 */
export function rebuildDoc(doc: Y.Doc): RebuiltDoc | null {
	const maps = rootMaps(doc)
	if (!maps) return null
	for (const map of maps.values()) {
		for (const value of map.values()) if (value instanceof Y.AbstractType) return null
	}
	const fresh = new Y.Doc()
	fresh.transact(() => {
		for (const [name, map] of maps) {
			const target = fresh.getMap<unknown>(name)
			for (const [key, value] of map.entries()) target.set(key, value)
		}
	})
	return { doc: fresh, retiredClients: [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()] }
}

/** Whether a peer's state vector (from its sync step 1) shows it holds a doc that was replaced. */
export function holdsRetiredDoc(stateVector: Map<number, number>, retiredClients: ReadonlySet<number>): boolean {
	if (retiredClients.size === 0) return false
	for (const [client, clock] of stateVector) if (clock > 0 && retiredClients.has(client)) return true
	return false
}
