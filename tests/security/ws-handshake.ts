import WebSocket from 'ws'

/** How a raw websocket handshake ended: opened (and closed again at once), or refused with an HTTP status. */
export type Handshake = { opened: true; protocol: string } | { opened: false; status: number; body: string }

/**
 * Opens a raw websocket to `url` offering `protocols`, and reports whether the server accepted it (then closes
 * it) or refused the upgrade with an HTTP answer.
 */
export function tryHandshake(url: string, protocols: string[] = []): Promise<Handshake> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, protocols)
		socket.once('open', () => {
			const protocol = socket.protocol
			socket.close()
			resolve({ opened: true, protocol })
		})
		socket.once('unexpected-response', (_request, response) => {
			let body = ''
			response.setEncoding('utf8')
			response.on('data', (chunk: string) => {
				body += chunk
			})
			response.once('end', () => {
				resolve({ opened: false, status: response.statusCode ?? 0, body })
				socket.terminate()
			})
		})
		socket.once('error', (error) => {
			if (socket.readyState !== WebSocket.CLOSED) reject(error)
		})
	})
}
