/**
 * The awareness client ids one connection controls ({@link RoomPeer.awarenessClientIds}): a board's connection
 * has one (its Yjs client id), so the first id is a field and a `Set` is made only for a second one. A `Set` of
 * one number is about 150 bytes of heap; every idle connection held one (docs/benchmarks.md, finding 26).
 * Iterates in the order ids were added, as a `Set` does.
 */
export class ClientIds implements Iterable<number> {
	/** The only id, while there is exactly one and no set. */
	private single: number | null = null
	/** Every id, once a second one was added (kept after that, however many are removed). */
	private many: Set<number> | null = null

	get size(): number {
		if (this.many) return this.many.size
		return this.single === null ? 0 : 1
	}

	has(id: number): boolean {
		return this.many ? this.many.has(id) : this.single === id
	}

	add(id: number): this {
		if (this.many) this.many.add(id)
		else if (this.single === null) this.single = id
		else if (this.single !== id) {
			this.many = new Set([this.single, id])
			this.single = null
		}
		return this
	}

	delete(id: number): boolean {
		if (this.many) return this.many.delete(id)
		if (this.single !== id) return false
		this.single = null
		return true
	}

	*[Symbol.iterator](): Iterator<number> {
		if (this.many) yield* this.many
		else if (this.single !== null) yield this.single
	}
}
