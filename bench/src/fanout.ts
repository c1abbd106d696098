/**
 * Fan-out measurement: senders change their own note record at a given total rate; every other client in
 * the same room is a receiver. Latency runs from the sender's `performance.now()` just before the change to
 * the receiver's observer seeing it, all in this one process, so no clock skew. When a receiver sees revision
 * n of a note, every earlier revision it had not seen yet counts as delivered at that moment too (a server
 * may merge updates; the receiver's state then reflects all of them).
 *
 * Full clients read the revision from the applied record (`meta.rev`); sink clients read it from the update's
 * header: a sender's n-th change is its Yjs item with clock n, as its doc makes no other local change.
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { BenchClient } from './client'
import { noteRecord } from './note'
import { Samples } from './stats'

interface Sender {
	client: BenchClient
	key: string
	owner: string
	rev: number
	/** sendTimes[rev] = performance.now() when revision rev was set. */
	sendTimes: number[]
	/** firstSeen[rev] is set once any receiver has seen revision rev. */
	firstSeen: Uint8Array
	/** Number of receivers in the room. */
	receivers: number
}

/** What one measurement window produced. */
export interface WindowResult {
	latency: Samples
	/** Per change: from the send to the first receiver that saw it. */
	firstLatency: Samples
	/** Deliveries expected: sends in the window × receivers in the sender's room. */
	expected: number
	/** Deliveries observed. */
	delivered: number
	/** Sends in the window. */
	sends: number
}

/**
 * Owns the senders and the receivers' observers for a set of connected clients. Every client is a sender of
 * one note and a receiver of the notes of the others in its room.
 */
export class FanoutTracker {
	private readonly senders: Sender[] = []
	private readonly byKey = new Map<string, Sender>()
	private readonly byClientId = new Map<number, Sender>()
	private readonly unobserve: Array<() => void> = []
	private windowStart = Infinity
	private windowEnd = Infinity
	private latency = new Samples()
	private firstLatency = new Samples()
	private delivered = 0
	private cursor = 0

	/**
	 * @param clients connected clients, ideally in client-major order (see `connectClients`), so that a
	 *   round-robin over them spreads the sends across rooms
	 * @param runTag unique per run, part of every note id
	 */
	constructor(clients: readonly BenchClient[], runTag: string) {
		const perRoom = new Map<string, number>()
		for (const client of clients) perRoom.set(client.roomId, (perRoom.get(client.roomId) ?? 0) + 1)
		const roomIndex = new Map<string, number>()
		clients.forEach((client, i) => {
			if (!roomIndex.has(client.roomId)) roomIndex.set(client.roomId, roomIndex.size)
			const owner = `${runTag}-r${roomIndex.get(client.roomId)}c${i}`
			const sender: Sender = {
				client,
				owner,
				key: noteRecord(owner, 0, 0).id,
				rev: -1,
				sendTimes: [],
				firstSeen: new Uint8Array(1024),
				receivers: perRoom.get(client.roomId)! - 1,
			}
			this.senders.push(sender)
			this.byKey.set(sender.key, sender)
			this.byClientId.set(client.doc.clientID, sender)
		})
		for (const client of clients) {
			if (client.mode === 'full') this.observe(client)
			else this.listen(client)
		}
	}

	/** Number of senders (= clients). */
	get size(): number {
		return this.senders.length
	}

	/** Counts revisions up to `rev` of `sender` as delivered to a receiver at `now`. */
	private deliver(lastSeen: Map<Sender, number>, sender: Sender, rev: number, now: number): void {
		const from = (lastSeen.get(sender) ?? -1) + 1
		if (rev < from) return
		lastSeen.set(sender, rev)
		for (let r = from; r <= rev; r++) {
			const sentAt = sender.sendTimes[r]
			if (sentAt >= this.windowStart && sentAt < this.windowEnd) {
				this.latency.add(now - sentAt)
				this.delivered++
				if (sender.firstSeen[r] === 0) {
					sender.firstSeen[r] = 1
					this.firstLatency.add(now - sentAt)
				}
			}
		}
	}

	private observe(client: BenchClient): void {
		const lastSeen = new Map<Sender, number>()
		const handler = (event: Y.YMapEvent<unknown>): void => {
			if (event.transaction.local) return
			const now = performance.now()
			for (const key of event.keysChanged) {
				const sender = this.byKey.get(key)
				if (sender === undefined) continue
				const value = client.records.get(key) as { meta?: { rev?: number } } | undefined
				const rev = value?.meta?.rev
				if (typeof rev === 'number') this.deliver(lastSeen, sender, rev, now)
			}
		}
		client.records.observe(handler)
		this.unobserve.push(() => client.records.unobserve(handler))
	}

	private listen(client: BenchClient): void {
		const lastSeen = new Map<Sender, number>()
		const own = client.doc.clientID
		client.onSinkUpdate = (update) => {
			const now = performance.now()
			const decoder = decoding.createDecoder(update)
			if (decoding.readVarUint(decoder) === 1) {
				// One client's structs: [count, client, first clock, structs…]; each change is one item.
				const structs = decoding.readVarUint(decoder)
				const clientId = decoding.readVarUint(decoder)
				const clock = decoding.readVarUint(decoder)
				const sender = this.byClientId.get(clientId)
				if (sender !== undefined && clientId !== own) this.deliver(lastSeen, sender, clock + structs - 1, now)
				return
			}
			for (const [clientId, toClock] of Y.parseUpdateMeta(update).to) {
				const sender = this.byClientId.get(clientId)
				if (sender !== undefined && clientId !== own) this.deliver(lastSeen, sender, toClock - 1, now)
			}
		}
		this.unobserve.push(() => {
			client.onSinkUpdate = null
		})
	}

	/** Makes the next sender in round-robin order change its note. */
	sendNext(): void {
		const sender = this.senders[this.cursor]
		this.cursor = (this.cursor + 1) % this.senders.length
		this.send(sender)
	}

	/** Makes every sender write its note once (so the records exist before measuring). */
	sendAll(): void {
		for (const sender of this.senders) this.send(sender)
	}

	private send(sender: Sender): void {
		const rev = sender.rev + 1
		const record = noteRecord(sender.owner, 0, rev)
		sender.rev = rev
		if (rev >= sender.firstSeen.length) {
			const grown = new Uint8Array(sender.firstSeen.length * 2)
			grown.set(sender.firstSeen)
			sender.firstSeen = grown
		}
		sender.sendTimes[rev] = performance.now()
		sender.client.records.set(sender.key, record)
	}

	/** Starts a measurement window: sends from now on are measured until `closeWindow`. */
	openWindow(): void {
		this.windowStart = performance.now()
		this.windowEnd = Infinity
		this.latency = new Samples()
		this.firstLatency = new Samples()
		this.delivered = 0
	}

	/** Ends the window for new sends; deliveries of sends inside it keep counting. */
	closeWindow(): void {
		this.windowEnd = performance.now()
	}

	/** Deliveries expected for the sends in the current window. */
	expected(): number {
		let total = 0
		for (const sender of this.senders) {
			for (let r = sender.sendTimes.length - 1; r >= 0; r--) {
				const t = sender.sendTimes[r]
				if (t < this.windowStart) break
				if (t < this.windowEnd) total += sender.receivers
			}
		}
		return total
	}

	/** The window's figures so far. */
	result(): WindowResult {
		const expected = this.expected()
		let sends = 0
		for (const sender of this.senders)
			for (const t of sender.sendTimes) if (t >= this.windowStart && t < this.windowEnd) sends++
		return { latency: this.latency, firstLatency: this.firstLatency, expected, delivered: this.delivered, sends }
	}

	/** Waits until everything sent in the window was delivered, or `timeoutMs` passed; returns whether it was. */
	async drain(timeoutMs: number): Promise<boolean> {
		const expected = this.expected()
		const deadline = performance.now() + timeoutMs
		while (this.delivered < expected) {
			if (performance.now() > deadline) return false
			await new Promise((r) => setTimeout(r, 20))
		}
		return true
	}

	/** Removes the observers. */
	dispose(): void {
		for (const off of this.unobserve) off()
	}
}

/**
 * Drives `tracker.sendNext()` at `ratePerSecond` in total for `durationMs`, from a 2 ms timer; a late tick
 * sends what is due in one burst, as a real backlog would.
 */
export async function driveLoad(tracker: FanoutTracker, ratePerSecond: number, durationMs: number): Promise<void> {
	const start = performance.now()
	let sent = 0
	const total = Math.round((ratePerSecond * durationMs) / 1000)
	await new Promise<void>((resolveDone) => {
		const tick = (): void => {
			const elapsed = performance.now() - start
			const due = Math.min(total, Math.floor((elapsed * ratePerSecond) / 1000))
			while (sent < due) {
				tracker.sendNext()
				sent++
			}
			if (sent >= total) resolveDone()
			else setTimeout(tick, 2)
		}
		tick()
	})
}
