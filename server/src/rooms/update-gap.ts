import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'

/**
 * Where a Yjs update (v1) starts against what a doc holds, client by client:
 *
 * - `beyond`: some client's changes start beyond the doc's state of that client — a gap the doc cannot close,
 *   so the update would only wait in the doc's pending state;
 * - `exact`: every client's changes start at the doc's state of that client — the update holds nothing the doc
 *   already has (but its delete set may name deletions the doc has made already);
 * - `overlap`: no gap, but some client's changes start inside what the doc holds.
 */
export type UpdateStart = 'beyond' | 'exact' | 'overlap'

/**
 * Decides {@link UpdateStart} as `Y.parseUpdateMeta(update).from` would — each client's first clock against the
 * doc's state — but reads only the update's header when it holds the changes of one client, which is what a
 * board sends for its own edits: there the first clock is the fourth varUint (clients, structs, client, clock),
 * and the content is left to `Y.applyUpdate` to decode once instead of twice (parseUpdateMeta decodes every
 * struct's content, a note record and its strings included). Several clients: parseUpdateMeta. An update with
 * no structs (only deletions) is `exact`. Throws, as parseUpdateMeta does, when the header does not decode;
 * malformed content is then `Y.applyUpdate`'s to refuse, which reads every struct before it integrates any.
 */
export function whereUpdateStarts(doc: Y.Doc, update: Uint8Array): UpdateStart {
	const decoder = decoding.createDecoder(update)
	const clients = decoding.readVarUint(decoder)
	if (clients === 1) {
		const structs = decoding.readVarUint(decoder)
		const client = decoding.readVarUint(decoder)
		const clock = decoding.readVarUint(decoder)
		if (structs === 0) return 'exact'
		return compareStart(clock, Y.getState(doc.store, client))
	}
	let start: UpdateStart = 'exact'
	for (const [client, clock] of Y.parseUpdateMeta(update).from) {
		const here = compareStart(clock, Y.getState(doc.store, client))
		if (here === 'beyond') return 'beyond'
		if (here === 'overlap') start = 'overlap'
	}
	return start
}

function compareStart(clock: number, state: number): UpdateStart {
	return clock > state ? 'beyond' : clock === state ? 'exact' : 'overlap'
}
