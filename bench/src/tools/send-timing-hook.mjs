/**
 * Preloaded into a server (`--import`), the same way into ours and the reference: for every chunk of data a TCP
 * socket of the server takes in, the time from that chunk's `data` event to the first and the last socket write
 * it leads to (`net.Socket.prototype._writeGeneric`, where both `ws`'s writes and ours reach the socket's handle)
 * and how many writes. A change a client sends is handled and broadcast inside its `data` event in both servers, so
 * for a chunk followed by a room's worth of writes these are "arrival → first send" and "arrival → last send".
 * The process writes what it measured to `$SEND_TIMING_DIR/<pid>.json` (default /tmp/send-timing) every 2 s.
 *
 *   node --import tsx bench/src/tools/update-cost.ts --points 1x30@30 --updates 600 --rounds 3 \
 *     --servers "ours:NODE_FLAGS=--import ./bench/src/tools/send-timing-hook.mjs,reference:NODE_FLAGS=--import ./bench/src/tools/send-timing-hook.mjs"
 *   node --import tsx bench/src/tools/send-timing-summary.ts [dir]
 *
 * Used for finding 26 in docs/benchmarks.md. The two hooks cost both servers the same few clock reads per write.
 */
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

const dir = process.env.SEND_TIMING_DIR || '/tmp/send-timing'
/** [first write µs, last write µs, writes] per data chunk that led to a write. */
const samples = []
let current = null
const now = () => Number(process.hrtime.bigint()) / 1000

function finish() {
	if (current && current.writes > 0) samples.push([current.first, current.last, current.writes])
	current = null
}

const emit = net.Socket.prototype.emit
net.Socket.prototype.emit = function (event, ...args) {
	if (event === 'data') {
		finish()
		current = { start: now(), first: 0, last: 0, writes: 0 }
	}
	return emit.call(this, event, ...args)
}

const writeGeneric = net.Socket.prototype._writeGeneric
net.Socket.prototype._writeGeneric = function (...args) {
	const result = writeGeneric.apply(this, args)
	if (current) {
		const at = now() - current.start
		if (current.writes === 0) current.first = at
		current.last = at
		current.writes++
	}
	return result
}

fs.mkdirSync(dir, { recursive: true })
const file = path.join(dir, `${process.pid}.json`)
const startedAt = Date.now()
setInterval(() => {
	fs.writeFileSync(file, JSON.stringify({ argv: process.argv.slice(1).join(' '), startedAt, samples }))
}, 2000).unref()
