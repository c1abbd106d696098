import type { NoteEntry } from '../store/note-ledger'

/**
 * Who wrote which note in a loaded room: note id → participant identity (see {@link Room.noteOwners}). A room holds
 * an entry per note its participants wrote, so each string is held once: an identity is one string however many
 * notes it wrote, and a note id read from the note ledger is kept as the board's own key for that note where the
 * board holds it — the ledger's rows are new strings each time they are read, two per note (docs/benchmarks.md,
 * finding 24: about 80 KB of a 1000-note room).
 */
export class NoteOwners {
	private readonly owners = new Map<string, string>()
	/** Each identity once, as first seen. */
	private readonly identities = new Map<string, string>()

	/** The identity that wrote a note; undefined when none is known. */
	get(noteId: string): string | undefined {
		return this.owners.get(noteId)
	}

	has(noteId: string): boolean {
		return this.owners.has(noteId)
	}

	/** How many notes have a known author. */
	get size(): number {
		return this.owners.size
	}

	/** Records (or replaces) a note's author. */
	set(noteId: string, participantId: string): void {
		let identity = this.identities.get(participantId)
		if (identity === undefined) {
			identity = participantId
			this.identities.set(identity, identity)
		}
		this.owners.set(noteId, identity)
	}

	/**
	 * Adds the authors of ledger entries whose note has none yet (what the room learnt since it loaded stays).
	 * `boardKeys`: the keys of the board's records map, whose strings are kept for the notes the board holds.
	 */
	addFromLedger(entries: readonly Pick<NoteEntry, 'noteId' | 'participantId'>[], boardKeys: Iterable<string>): void {
		const fromLedger = new Map<string, string>()
		for (const { noteId, participantId } of entries) if (!this.owners.has(noteId)) fromLedger.set(noteId, participantId)
		if (fromLedger.size === 0) return
		for (const key of boardKeys) {
			const participantId = fromLedger.get(key)
			if (participantId === undefined) continue
			this.set(key, participantId)
			fromLedger.delete(key)
			if (fromLedger.size === 0) return
		}
		// Notes not on the board (held, or deleted: their id is still not anyone else's to take).
		for (const [noteId, participantId] of fromLedger) this.set(noteId, participantId)
	}
}
