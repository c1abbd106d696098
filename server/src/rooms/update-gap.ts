import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'

/**
 * Whether a Yjs update (v1) starts any client's changes beyond what `doc` holds of that client: a gap the doc
 * cannot close, so the update would only wait in the doc's pending state.
 *
 * Decides as `Y.parseUpdateMeta(update).from` would — each client's first clock against the doc's state — but
 * reads only the update's header when it holds the changes of one client, which is what a board sends for its
 * own edits: there the first clock is the fourth varUint (clients, structs, client, clock), and the content is
 * left to `Y.applyUpdate` to decode once instead of twice (parseUpdateMeta decodes every struct's content, a
 * note record and its strings included). Several clients: parseUpdateMeta. Throws, as parseUpdateMeta does,
 * when the header does not decode; malformed content is then `Y.applyUpdate`'s to refuse, which reads every
 * struct before it integrates any.
 */
export function updateStartsBeyondDoc(doc: Y.Doc, update: Uint8Array): boolean {
	const decoder = decoding.createDecoder(update)
	const clients = decoding.readVarUint(decoder)
	if (clients === 1) {
		const structs = decoding.readVarUint(decoder)
		const client = decoding.readVarUint(decoder)
		const clock = decoding.readVarUint(decoder)
		return structs > 0 && clock > Y.getState(doc.store, client)
	}
	for (const [client, clock] of Y.parseUpdateMeta(update).from) {
		if (clock > Y.getState(doc.store, client)) return true
	}
	return false
}
