/** What {@link OpenSockets} needs of a socket: `ws`'s WebSocket has it. */
export interface ClosableSocket {
	close(code: number, reason: string): void
	terminate(): void
}

/**
 * The open websockets of a server, for the ping sweep, the metrics and shutdown. Kept here rather than by `ws`
 * (its `clientTracking`), which gives every socket a `'close'` listener closure and its context; an entry in
 * this set costs a few bytes. Whoever handles a socket's `'close'` must call {@link OpenSockets.delete}.
 */
export class OpenSockets<T extends ClosableSocket> implements Iterable<T> {
	private readonly sockets = new Set<T>()
	private whenEmpty: (() => void) | null = null

	/** Number of open sockets. */
	get size(): number {
		return this.sockets.size
	}

	add(socket: T): void {
		this.sockets.add(socket)
	}

	/** Forgets a socket that has closed. */
	delete(socket: T): void {
		this.sockets.delete(socket)
		if (this.sockets.size === 0) this.whenEmpty?.()
	}

	[Symbol.iterator](): Iterator<T> {
		return this.sockets.values()
	}

	/**
	 * Sends every socket a close frame with `code`, terminates those that have not closed `graceMs` later (a
	 * client that stopped reading never answers), and resolves once every socket is closed.
	 */
	closeAll(code: number, reason: string, graceMs: number): Promise<void> {
		if (this.sockets.size === 0) return Promise.resolve()
		return new Promise((resolve) => {
			const cut = setTimeout(() => {
				for (const socket of this.sockets) socket.terminate()
			}, graceMs)
			cut.unref()
			this.whenEmpty = () => {
				this.whenEmpty = null
				clearTimeout(cut)
				resolve()
			}
			for (const socket of this.sockets) {
				try {
					socket.close(code, reason)
				} catch {
					socket.terminate()
				}
			}
		})
	}
}
