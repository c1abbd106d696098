import net from 'node:net'

/** A TCP proxy on 127.0.0.1 (port 0) in front of a service, which a test can cut off and bring back. */
export interface TcpProxy {
	readonly port: number
	/** Cuts every connection and refuses new ones until {@link up}. */
	down(): void
	up(): void
	/** Stops listening and cuts what is still connected. */
	close(): Promise<void>
}

/** Starts a {@link TcpProxy} to `host:port` (PostgreSQL, Redis, …). */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
	const sockets = new Set<net.Socket>()
	let down = false
	const server = net.createServer((client) => {
		if (down) return client.destroy()
		const upstream = net.connect(port, host)
		for (const s of [client, upstream]) {
			sockets.add(s)
			s.on('close', () => sockets.delete(s))
			s.on('error', () => {})
		}
		client.pipe(upstream).pipe(client)
		client.on('close', () => upstream.destroy())
		upstream.on('close', () => client.destroy())
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	return {
		port: (server.address() as net.AddressInfo).port,
		down() {
			down = true
			for (const s of sockets) s.destroy()
		},
		up() {
			down = false
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve())
				for (const s of sockets) s.destroy()
			}),
	}
}
