#!/usr/bin/env node
/**
 * The reference server (@y/websocket-server 0.1.1, src/server.js) with its own LevelDB persistence
 * (utils.js, `YPERSISTENCE`) copied line for line, plus timing: for every document update it records the time
 * from the update event (the update has arrived and was just broadcast) until y-leveldb's `storeUpdate`
 * promise resolves (the LevelDB put is done). `GET /__bench/durable` answers `{p50, p99, count}` in ms;
 * `GET /__bench/durable?reset=1` clears the samples. Used by the time-to-durable scenario only; the other
 * scenarios run the unmodified src/server.js.
 */
import http from 'node:http'
import * as Y from 'yjs'
import { WebSocketServer } from 'ws'
import { LeveldbPersistence } from 'y-leveldb'

// utils.js reads YPERSISTENCE when it is imported; take the directory away from it so that only the timed
// copy below opens the database.
const persistenceDir = process.env.YPERSISTENCE
delete process.env.YPERSISTENCE
const { setupWSConnection, setPersistence } = await import('@y/websocket-server/utils')

/** @type {number[]} */
let samples = []

if (typeof persistenceDir === 'string') {
	console.info(`Persisting documents to "${persistenceDir}"`)
	const ldb = new LeveldbPersistence(persistenceDir)
	setPersistence({
		provider: ldb,
		bindState: async (docName, ydoc) => {
			const persistedYdoc = await ldb.getYDoc(docName)
			const newUpdates = Y.encodeStateAsUpdate(ydoc)
			ldb.storeUpdate(docName, newUpdates)
			Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persistedYdoc))
			ydoc.on('update', (update) => {
				const t0 = performance.now()
				ldb.storeUpdate(docName, update).then(() => {
					samples.push(performance.now() - t0)
				})
			})
		},
		writeState: async (_docName, _ydoc) => {},
	})
}

/** @param {number[]} sorted @param {number} q */
const percentile = (sorted, q) =>
	sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]

const wss = new WebSocketServer({ noServer: true })
const host = process.env.HOST || 'localhost'
const port = parseInt(process.env.PORT || '1234', 10)

const server = http.createServer((request, response) => {
	if (request.url?.startsWith('/__bench/durable')) {
		const sorted = Float64Array.from(samples).sort()
		const body = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), count: sorted.length }
		if (request.url.includes('reset=1')) samples = []
		response.writeHead(200, { 'Content-Type': 'application/json' })
		response.end(JSON.stringify(body))
		return
	}
	response.writeHead(200, { 'Content-Type': 'text/plain' })
	response.end('okay')
})

wss.on('connection', setupWSConnection)

server.on('upgrade', (request, socket, head) => {
	wss.handleUpgrade(request, socket, head, (ws) => {
		wss.emit('connection', ws, request)
	})
})

server.listen(port, host, () => {
	console.log(`running at '${host}' on port ${port}`)
})
