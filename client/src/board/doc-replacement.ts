import type { TLRecord, TLStore } from 'tldraw'
import type { RecordChanges } from './yjs-tldraw-sync'

/**
 * When the server has rebuilt the room's doc without its history (close code `CLOSE_DOC_REPLACED`), the board
 * throws its doc away and connects again with an empty one. The changes it made while it was offline never
 * reached the server, so they are taken from the store before the reconnect and written again once the new doc
 * is bound: the board's own offline edits win over what the server holds for those records, as they would have
 * if the board had reconnected to the old doc.
 */

/** The current state of the records changed while offline: puts for those the store holds, removes for the rest. */
export function captureUnsentChanges(store: TLStore, ids: Iterable<string>): RecordChanges<TLRecord> {
	const puts: TLRecord[] = []
	const removes: string[] = []
	for (const id of new Set(ids)) {
		const record = store.get(id as TLRecord['id'])
		if (record) puts.push(record)
		else removes.push(id)
	}
	return { puts, removes }
}

/**
 * Writes captured changes into a store bound to the new doc, as the user's own changes (so the binding sends
 * them). Removals of records the new doc does not hold are skipped.
 */
export function replayUnsentChanges(store: TLStore, changes: RecordChanges<TLRecord>): void {
	const removes = changes.removes.filter((id) => store.has(id as TLRecord['id'])) as TLRecord['id'][]
	if (changes.puts.length === 0 && removes.length === 0) return
	if (removes.length) store.remove(removes)
	if (changes.puts.length) store.put(changes.puts)
}
