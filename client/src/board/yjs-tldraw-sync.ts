import type * as Y from 'yjs'
import type { RecordsDiff, SerializedSchema, TLRecord, TLStore } from 'tldraw'
import { DOCUMENT_ID, META_MAP, RECORDS_MAP, SCHEMA_KEY, hasUnreadableRichText } from '@kompasbord/shared'

/**
 * The binding between a room's Y.Doc and a tldraw store (see docs/ARCHITECTURE.md, "Doc layout"):
 *
 * - Every document-scope record (document, page, shape, binding, asset, user) is one entry of
 *   `doc.getMap(RECORDS_MAP)`, keyed by record id, the value the plain JSON record.
 * - Local user changes (`store.listen` with `{ source: 'user', scope: 'document' }`) are written in one Yjs
 *   transaction with origin {@link LOCAL_ORIGIN}.
 * - Remote changes arrive through the map's `observe` events and are applied with `store.mergeRemoteChanges`,
 *   so they never enter the local undo history and are not written back. Every incoming record is migrated
 *   from the doc's schema when that is older, then validated; an invalid one is skipped with `console.warn`.
 * - The doc's schema ({@link META_MAP}.{@link SCHEMA_KEY}) says which tldraw version the records are in. When
 *   it is older than the client's: records are migrated up on the way in and down on the way out, and a client
 *   allowed to upgrade the room (the facilitator) writes the migrated records and the new schema back once.
 */

/** Transaction origin of the changes this client writes into the doc. */
export const LOCAL_ORIGIN = 'kompasbord-board'

/** A record id → record map, as stored in the doc. */
export type RecordsMap = Y.Map<unknown>

/** Puts and removals to apply to one side (store or doc). */
export interface RecordChanges<R = unknown> {
	puts: R[]
	removes: string[]
}

/** An incoming record that was not applied, and why. */
export interface RejectedRecord {
	id: string
	reason: string
}

/** {@link RecordChanges} made ready for the store: migrated, validated, document scope only. */
export interface PreparedChanges {
	puts: TLRecord[]
	removes: TLRecord['id'][]
	rejected: RejectedRecord[]
}

/**
 * The keys one `observe` event of the records map touched, as puts (the value now in the map) and removes.
 * A key added and deleted within the same transaction does not show up.
 */
export function changesFromMapEvent(event: Y.YMapEvent<unknown>): RecordChanges {
	const puts: unknown[] = []
	const removes: string[] = []
	const map = event.target as Y.Map<unknown>
	for (const [key, change] of event.changes.keys) {
		if (change.action === 'delete') removes.push(key)
		else puts.push(map.get(key))
	}
	return { puts, removes }
}

/** The records of a store diff as writes into the doc: whole records set, removed ids deleted. */
export function docChangesFromDiff(diff: RecordsDiff<TLRecord>): RecordChanges<TLRecord> {
	const puts: TLRecord[] = [...Object.values(diff.added)]
	for (const [, to] of Object.values(diff.updated)) puts.push(to)
	return { puts, removes: Object.keys(diff.removed) }
}

function recordId(value: unknown): string {
	if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
		return (value as { id: string }).id
	}
	return '(no id)'
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error)
}

/**
 * The doc's schema as this client sees it: whether records need migrating between the doc's tldraw version
 * and the client's.
 */
export class DocSchema {
	private persisted: SerializedSchema | null = null
	private upToDate = true

	constructor(private readonly store: TLStore) {}

	/**
	 * Takes the schema the doc says its records are in (null: none written, taken as the client's own).
	 * Returns `'newer'` when the doc was written by a newer tldraw than this client knows, else `'same'` or
	 * `'older'`.
	 */
	update(persisted: unknown): 'same' | 'older' | 'newer' {
		if (!persisted || typeof persisted !== 'object') {
			this.persisted = null
			this.upToDate = true
			return 'same'
		}
		const migrations = this.store.schema.getMigrationsSince(persisted as SerializedSchema)
		if (!migrations.ok) return 'newer'
		this.persisted = persisted as SerializedSchema
		this.upToDate = migrations.value.length === 0
		return this.upToDate ? 'same' : 'older'
	}

	/** Whether the doc's records are in the client's own format. */
	get isUpToDate(): boolean {
		return this.upToDate
	}

	/** The doc's schema when it is older than the client's, else null. */
	get olderSchema(): SerializedSchema | null {
		return this.upToDate ? null : this.persisted
	}

	/** A record as read from the doc, in the client's format; throws when it cannot be migrated. */
	fromDoc(record: TLRecord): TLRecord {
		if (this.upToDate || !this.persisted) return record
		const result = this.store.schema.migratePersistedRecord(record, this.persisted, 'up')
		if (result.type === 'error') throw new Error(`migration failed (${result.reason})`)
		return result.value
	}

	/**
	 * A record of the client, in the doc's format. When the doc is older and the record cannot be migrated
	 * down, it is written as it is (better a newer record than a lost change).
	 */
	toDoc(record: TLRecord): TLRecord {
		if (this.upToDate || !this.persisted) return record
		const result = this.store.schema.migratePersistedRecord(record, this.persisted, 'down')
		return result.type === 'success' ? result.value : record
	}
}

/**
 * Makes raw values from the doc ready to put into the store: skips what is not a document-scope record of a
 * known type, migrates from the doc's schema, validates each record with the store's schema and a shape's rich
 * text with tldraw's editor's node and mark types (`hasUnreadableRichText`). Removals of ids
 * the store does not hold are dropped.
 */
export function prepareIncoming(store: TLStore, changes: RecordChanges, schema?: DocSchema): PreparedChanges {
	const puts: TLRecord[] = []
	const rejected: RejectedRecord[] = []
	for (const value of changes.puts) {
		const id = recordId(value)
		if (!value || typeof value !== 'object' || id === '(no id)') {
			rejected.push({ id, reason: 'not a record' })
			continue
		}
		const typeName = (value as { typeName?: unknown }).typeName
		const type = typeof typeName === 'string' ? store.schema.types[typeName as TLRecord['typeName']] : undefined
		if (!type) {
			rejected.push({ id, reason: `unknown record type ${JSON.stringify(typeName)}` })
			continue
		}
		if (type.scope !== 'document') {
			rejected.push({ id, reason: `${String(typeName)} records are not shared` })
			continue
		}
		try {
			const migrated = schema ? schema.fromDoc(value as TLRecord) : (value as TLRecord)
			const before = store.get(migrated.id) ?? null
			const valid = store.schema.validateRecord(store, migrated, before ? 'updateRecord' : 'createRecord', before)
			// tldraw's schema leaves rich text open; one node its editor does not know fails the whole board's render.
			if (hasUnreadableRichText(valid)) {
				rejected.push({ id, reason: 'rich text this board cannot read' })
				continue
			}
			puts.push(valid)
		} catch (error) {
			rejected.push({ id, reason: errorMessage(error) })
		}
	}
	const removes = changes.removes.filter((id) => store.has(id as TLRecord['id'])) as TLRecord['id'][]
	return { puts, removes, rejected }
}

/** Applies prepared remote changes to the store as one remote (non-undoable, not re-sent) change. */
export function applyToStore(store: TLStore, changes: PreparedChanges): void {
	if (changes.puts.length === 0 && changes.removes.length === 0) return
	store.mergeRemoteChanges(() => {
		if (changes.removes.length) store.remove(changes.removes)
		if (changes.puts.length) store.put(changes.puts)
	})
}

/** Writes records into the doc's records map in one transaction. */
export function applyToDoc(doc: Y.Doc, changes: RecordChanges<TLRecord>, origin: unknown = LOCAL_ORIGIN): void {
	if (changes.puts.length === 0 && changes.removes.length === 0) return
	const map = doc.getMap<unknown>(RECORDS_MAP)
	doc.transact(() => {
		for (const id of changes.removes) map.delete(id)
		for (const record of changes.puts) map.set(record.id, record)
	}, origin)
}

/** Whether the doc holds a board (the server seeded it): its document record exists. */
export function docHasBoard(doc: Y.Doc): boolean {
	return doc.getMap<unknown>(RECORDS_MAP).has(DOCUMENT_ID)
}

/** Why a doc could not be bound to a store. */
export type BindFailure = 'no-document' | 'newer-schema' | 'migration-failed'

/** Thrown by {@link bindDocToStore} when the doc cannot be shown. */
export class BindError extends Error {
	constructor(
		readonly reason: BindFailure,
		message: string
	) {
		super(message)
		this.name = 'BindError'
	}
}

/** Options of {@link bindDocToStore}. */
export interface BindOptions {
	/** False for viewers: nothing is ever written into the doc. Default true. */
	writable?: boolean
	/**
	 * Whether this client may upgrade an old room (write migrated records and the new schema back). Only the
	 * facilitator may write the schema; default false.
	 */
	mayUpgrade?: boolean
	/** Called with the ids of the records of each local change written into the doc. */
	onLocalChange?: (ids: string[]) => void
	/** Called for incoming records that were skipped; default `console.warn`. */
	onRejected?: (rejected: RejectedRecord[]) => void
}

/** A live binding; {@link Binding.dispose} stops both directions. */
export interface Binding {
	/** The doc's records were older than the client's schema and were migrated on load. */
	readonly migrated: boolean
	dispose(): void
}

const warnRejected = (rejected: RejectedRecord[]) => {
	for (const r of rejected) console.warn(`[kompasbord] skipped invalid record ${r.id}: ${r.reason}`)
}

/**
 * Loads the doc's records into the store and keeps both in step until disposed. Call it once the provider
 * reports its first `sync`, so the doc holds the server's state. The store must not hold document records yet.
 * Throws {@link BindError} when the doc holds no board (the client never seeds one) or was written by a newer
 * tldraw version.
 */
export function bindDocToStore(doc: Y.Doc, store: TLStore, options: BindOptions = {}): Binding {
	const { writable = true, mayUpgrade = false, onLocalChange, onRejected = warnRejected } = options
	const records = doc.getMap<unknown>(RECORDS_MAP)
	const meta = doc.getMap<unknown>(META_MAP)
	if (!records.has(DOCUMENT_ID)) {
		throw new BindError('no-document', 'The room holds no document record')
	}

	const schema = new DocSchema(store)
	const persistedSchema = meta.get(SCHEMA_KEY)
	const version = schema.update(persistedSchema)
	if (version === 'newer') {
		throw new BindError('newer-schema', 'The room was written by a newer tldraw version')
	}

	// Initial load. An older room goes through tldraw's snapshot migration (store-level migrations included).
	let initial: RecordChanges = { puts: [...records.values()], removes: [] }
	let migrated = false
	if (version === 'older') {
		const snapshot = { store: Object.fromEntries(records.entries()), schema: persistedSchema as SerializedSchema }
		const result = store.schema.migrateStoreSnapshot(
			snapshot as Parameters<typeof store.schema.migrateStoreSnapshot>[0]
		)
		if (result.type === 'error') {
			throw new BindError('migration-failed', `The room's records could not be migrated (${result.reason})`)
		}
		initial = { puts: Object.values(result.value), removes: [] }
		migrated = true
	}
	// Already migrated: validate against the client's schema as they are.
	const loaded = prepareIncoming(store, initial, migrated ? undefined : schema)
	if (loaded.rejected.length) onRejected(loaded.rejected)
	applyToStore(store, loaded)

	if (migrated && writable && mayUpgrade) {
		// Upgrade the room once, for everyone: the records in the new format and the schema they are in.
		doc.transact(() => {
			for (const record of loaded.puts) records.set(record.id, record)
			meta.set(SCHEMA_KEY, store.schema.serialize())
		}, LOCAL_ORIGIN)
		schema.update(store.schema.serialize())
	}

	const handleRecords = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
		if (transaction.origin === LOCAL_ORIGIN && transaction.local) return
		const prepared = prepareIncoming(store, changesFromMapEvent(event), schema)
		if (prepared.rejected.length) onRejected(prepared.rejected)
		applyToStore(store, prepared)
	}
	const handleMeta = (event: Y.YMapEvent<unknown>) => {
		if (event.keysChanged.has(SCHEMA_KEY)) schema.update(meta.get(SCHEMA_KEY))
	}
	records.observe(handleRecords)
	meta.observe(handleMeta)

	const stopListening = writable
		? store.listen(
				({ changes }) => {
					const local = docChangesFromDiff(changes)
					applyToDoc(doc, { puts: local.puts.map((r) => schema.toDoc(r)), removes: local.removes })
					onLocalChange?.([...local.puts.map((r) => r.id), ...local.removes])
				},
				{ source: 'user', scope: 'document' }
			)
		: () => {}

	return {
		migrated,
		dispose() {
			stopListening()
			records.unobserve(handleRecords)
			meta.unobserve(handleMeta)
		},
	}
}
