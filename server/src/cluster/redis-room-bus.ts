import { Redis } from 'ioredis'
import { type BusMessage, decodeBusMessage, encodeBusMessage } from './bus-message'

/** The channel of a room on the bus of the deployment whose Redis names start with `prefix`. */
export function roomChannel(prefix: string, roomId: string): string {
	return `${prefix}room:${roomId}`
}

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
		this.pub = new Redis(url, { ...options, connectionName: `kompasbord-pub-${name}` })
		this.sub = new Redis(url, { ...options, connectionName: `kompasbord-sub-${name}` })
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
		await Promise.all([this.pub.ping(), this.sub.ping()])
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

	/** Publishes without waiting; a message that does not make it is caught up from the database. */
	publish(roomId: string, message: BusMessage): void {
		this.pub.publish(roomChannel(this.prefix, roomId), Buffer.from(encodeBusMessage(message))).catch(() => {})
	}

	async close(): Promise<void> {
		this.handlers.clear()
		this.pub.disconnect()
		this.sub.disconnect()
	}
}
