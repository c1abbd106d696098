import type { NoteLedger } from './note-ledger'
import type { RoomLifecycleStore } from './room-lifecycle'
import type { RetiredClientStore, RoomRecordStore } from './room-records'
import type { ScoreStore } from './scores'
import type { SessionTables } from './session-tables'
import type { TrajectStore } from './trajects'

export type { NoteEntry, NoteEntryPatch, NoteLedger, NoteStatus } from './note-ledger'
export {
	JoinCodeTakenError,
	type LoadedUpdates,
	type RetiredClientStore,
	type RoomRecord,
	type RoomRecordPatch,
	type RoomRecordStore,
	type StoredUpdate,
} from './room-records'
export type { RoomLifecycleStore, RoomSummary } from './room-lifecycle'
export type { HiddenNote, HiddenNoteStore, SessionTables, VoteAllocation, VoteStore } from './session-tables'
export type { ScoreEntry, ScoreStore } from './scores'
export type { BoardSnapshot, CarriedNote, TrajectRecord, TrajectStore } from './trajects'

/**
 * A whole storage backend: every narrow store of the server on one database, plus closing it. The app holds
 * one (`app.store`); each service takes only the narrow interface it uses:
 *
 * - {@link RoomRecordStore}: room records and their doc updates (room manager, rooms routes, session service);
 * - {@link RetiredClientStore}: client ids of rebuilt docs (room manager);
 * - {@link NoteLedger}: the phone's notes (note service, held notes, moderation);
 * - {@link SessionTables}: votes and hidden notes (vote service, moderation);
 * - {@link RoomLifecycleStore}: activity, listing and deleting whole rooms (retention, admin, room deletion);
 * - {@link TrajectStore}: trajects, their boards, carried notes and board images (traject routes);
 * - {@link ScoreStore}: the marks of score rounds (score service).
 *
 * Every write resolves only once it is durable. The backend is {@link SqliteRoomStore} (one SQLite file);
 * each narrow interface has a contract test suite in `contract/` that every backend passes.
 */
export interface RoomStore
	extends RoomRecordStore,
		RetiredClientStore,
		NoteLedger,
		SessionTables,
		RoomLifecycleStore,
		TrajectStore,
		ScoreStore {
	/** Commits what is pending and closes the database. */
	close(): Promise<void>
}
