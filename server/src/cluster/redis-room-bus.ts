import { Redis } from 'ioredis'
import { type BusMessage, decodeBusMessage, encodeBusMessage } from './bus-message'

/** The channel of a room on the bus of the deployment whose Redis names start with `prefix`. */
export function roomChannel(prefix: string, roomId: string): string {
	return `${prefix}room:${roomId}`
}

/** Control messages kept while Redis is away (each is a deleted room or a changed room record). */
export const MAX_PENDING_CONTROL = 10_000

/**
 * The room bus on Redis pub/sub: one connection publishes, one subscribes to the channels of the rooms this
 * server holds. Pub/sub delivers at most once: a message lost to a dropped subscription or a Redis restart is
 * noticed by its sequence number, and the room is read back from the database (see cluster-sync.ts).
 */
export class RedisRoomBus {
	private readonly pub: Redis
	private readonly sub: Redis
	private readonly handlers = new Map<string, (message: BusMessage) => void>()
	private readonly resubscribedListeners: (() => void)[] = []
	private everReady = false
	/** Control messages published while the publishing connection was down, sent once it is back. */
	private pendingControl: { roomId: string; message: BusMessage }[] = []

	/**
	 * @param name - names the connections in Redis (`CLIENT LIST`): `kompasbord-pub-<name>`, `kompasbord-sub-<name>`.
	 * @param prefix - the deployment's `REDIS_KEY_PREFIX` (channels are `<prefix>room:<roomId>`).
	 */
	constructor(
		url: string,
		name: string,
		private readonly prefix = 'kompasbord:'
	) {
		const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false } as const
		// Updates and awareness are never queued while Redis is away (an outage would pile up every update in
		// memory, to be sent late in one flood): one that cannot go now is dropped, and the other servers read it
		// from the database (their once-a-second comparison, and the catch-up when their subscription comes back).
		// Control messages (a room deleted, its record changed) are rare and have no such fallback: they wait.
		this.pub = new Redis(url, { ...options, enableOfflineQueue: false, connectionName: `kompasbord-pub-${name}` })
		this.sub = new Redis(url, { ...options, connectionName: `kompasbord-sub-${name}` })
		this.pub.on('ready', () => {
			for (const { roomId, message } of this.pendingControl.splice(0)) this.publish(roomId, message)
		})
		for (const connection of [this.pub, this.sub]) connection.on('error', () => {})
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
			const handler = this.handlers.get(channel.toString())
			const decoded = handler
				? decodeBusMessage(new Uint8Array(message.buffer, message.byteOffset, message.length))
				: null
			if (handler && decoded) handler(decoded)
		})
		// ioredis subscribes again by itself after a reconnect; messages published meanwhile are gone.
		this.sub.on('ready', () => {
			if (this.everReady) for (const listener of this.resubscribedListeners) listener()
			this.everReady = true
		})
	}

	/** Resolves once both connections are up (startup waits for it). */
	async ready(): Promise<void> {
		const pubReady =
			this.pub.status === 'ready'
				? Promise.resolve()
				: new Promise<void>((resolve, reject) => {
						this.pub.once('ready', resolve)
						this.pub.once('end', () => reject(new Error('the publishing connection to Redis ended')))
					})
		await Promise.all([pubReady, this.sub.ping()])
	}

	/** Called after the subscription came back from a disconnect (everything meanwhile may be lost). */
	onResubscribed(listener: () => void): void {
		this.resubscribedListeners.push(listener)
	}

	/** Starts delivering the room's messages to `handler`; resolves once subscribed. */
	async subscribe(roomId: string, handler: (message: BusMessage) => void): Promise<void> {
		const channel = roomChannel(this.prefix, roomId)
		this.handlers.set(channel, handler)
		await this.sub.subscribe(channel)
	}

	async unsubscribe(roomId: string): Promise<void> {
		const channel = roomChannel(this.prefix, roomId)
		this.handlers.delete(channel)
		await this.sub.unsubscribe(channel).catch(() => {})
	}

	/**
	 * Publishes without waiting. An update or awareness message that does not make it is dropped (updates are
	 * caught up from the database); a control message waits for the connection (at most
	 * {@link MAX_PENDING_CONTROL}, the oldest dropped first).
	 */
	publish(roomId: string, message: BusMessage): void {
		const keep = () => {
			if (message.type !== 'control') return
			this.pendingControl.push({ roomId, message })
			if (this.pendingControl.length > MAX_PENDING_CONTROL) this.pendingControl.shift()
		}
		if (this.pub.status !== 'ready') return keep()
		this.pub.publish(roomChannel(this.prefix, roomId), Buffer.from(encodeBusMessage(message))).catch(keep)
	}

	async close(): Promise<void> {
		this.handlers.clear()
		this.pub.disconnect()
		this.sub.disconnect()
	}
}
