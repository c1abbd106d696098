import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import {
	META_MAP,
	RECORDS_MAP,
	SCHEMA_KEY,
	SESSION_MAP,
	defaultSessionState,
	writeSessionState,
} from '@kompasbord/shared'
import { tlSchema } from './tldraw-schema'

export { defaultSessionState }

/**
 * The first update of a room: the board's records (document, page, template structure), the tldraw store
 * schema they were written with, and the default session state — all in one transaction, so a room's structure
 * exists exactly once, before anyone can connect.
 */
export function initialDocUpdate(records: TLRecord[]): Uint8Array {
	const doc = new Y.Doc()
	doc.transact(() => {
		const map = doc.getMap(RECORDS_MAP)
		for (const record of records) map.set(record.id, record)
		doc.getMap(META_MAP).set(SCHEMA_KEY, tlSchema().serialize())
		writeSessionState(doc.getMap(SESSION_MAP), defaultSessionState())
	})
	const update = Y.encodeStateAsUpdate(doc)
	doc.destroy()
	return update
}
