/**
 * Attacks on the server's rules with raw y-websocket clients holding a participant link or a view link:
 * whatever a client sends, the server keeps session state, votes and structure to the facilitator, keeps a
 * viewer's changes out, keeps private notes private, and tells the offending client why.
 */
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { DOCUMENT_ID, PAGE_ID, zoneFrameId, type TimerState } from '@kompasbord/shared'
import { FACILITATOR_FIELD, SERVER_FIELD, readServerNotice } from '@kompasbord/shared/session-awareness'
import { waitFor } from './support/wait-for'
import { credentialProtocols, type YClient, type YCredential } from './support/y-client'
import {
	type JoinableRoom,
	canvasNote,
	eavesdrop,
	freshId,
	nextDocState,
	notesOf,
	openClient,
	openParticipant,
	participantToken,
	recordsOf,
	sessionOf,
	useInProcessServer,
	votesOf,
} from './session-helpers'

const ctx = useInProcessServer()

/** The reasons of the latest server notice addressed to this client, once one arrives. */
async function noticeFor(c: YClient, seqAfter = 0): Promise<string[]> {
	const own = c.provider.awareness.clientID
	return waitFor(
		() => {
			for (const state of c.provider.awareness.getStates().values()) {
				const notice = readServerNotice(state)
				if (notice && notice.seq > seqAfter && notice.to.includes(own)) return notice.reasons
			}
			return null
		},
		{ message: 'a server notice for this client' }
	)
}

function latestNoticeSeq(c: YClient): number {
	for (const state of c.provider.awareness.getStates().values()) {
		const notice = readServerNotice(state)
		if (notice) return notice.seq
	}
	return 0
}

/** Writes a marker from `writer` and waits until `reader` has it: everything `writer` sent before has been handled. */
async function barrier(writer: YClient, reader: YClient): Promise<void> {
	const key = `marker-${freshId('b')}`
	writer.provider.awareness.setLocalStateField('marker', key)
	await waitFor(() =>
		[...reader.provider.awareness.getStates().values()].some((s) => (s as { marker?: string }).marker === key)
	)
}

/** An awareness message for an arbitrary client id and clock, as a malicious client would craft it. */
function forgedAwareness(clientId: number, clock: number, state: unknown): Uint8Array {
	const update = encoding.createEncoder()
	encoding.writeVarUint(update, 1)
	encoding.writeVarUint(update, clientId)
	encoding.writeVarUint(update, clock)
	encoding.writeVarString(update, JSON.stringify(state))
	const message = encoding.createEncoder()
	encoding.writeVarUint(message, 1)
	encoding.writeVarUint8Array(message, encoding.toUint8Array(update))
	return encoding.toUint8Array(message)
}

async function rawSocket(roomId: string, credential: YCredential): Promise<WebSocket> {
	const socket = new WebSocket(`${ctx.server.wsUrl}/${roomId}`, credentialProtocols(credential))
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve())
		socket.once('error', reject)
	})
	return socket
}

/**
 * Opens a client that has announced itself over awareness, as every board does with its presence (the server
 * addresses notices to the awareness client ids a connection announced): the participant `as` names (a new
 * one when absent), or the facilitator with `{ key }`.
 */
async function openAnnounced(room: JoinableRoom, as?: string | { key: string }): Promise<YClient> {
	const credential: YCredential =
		typeof as === 'object' ? as : { participantToken: await participantToken(ctx.client, room, as ?? freshId('board')) }
	const c = await openClient(ctx.server.wsUrl, room.roomId, credential)
	c.provider.awareness.setLocalStateField('user', { name: 'Test', color: '#000000', role: 'participant' })
	await waitFor(() => ctx.server.app.rooms.peek(room.roomId)?.awareness.getStates().has(c.doc.clientID))
	return c
}

describe('a view link', () => {
	it('gets the board, but the server drops every update it sends', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const viewer = await openClient(ctx.server.wsUrl, room.roomId, { viewToken: room.viewToken })
		expect(recordsOf(viewer.doc).has(zoneFrameId('dos'))).toBe(true)
		viewer.doc.transact(() => {
			recordsOf(viewer.doc).set(
				'shape:viewer-note' as never,
				canvasNote('shape:viewer-note', 'Van de kijker', PAGE_ID) as never
			)
			recordsOf(viewer.doc).delete(zoneFrameId('dos'))
			sessionOf(viewer.doc).set('phase', 'closed')
			votesOf(viewer.doc).set('shape:x', 99)
		})
		await barrier(viewer, facilitator)
		const serverDoc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(recordsOf(serverDoc).has('shape:viewer-note' as never)).toBe(false)
		expect(recordsOf(serverDoc).has(zoneFrameId('dos'))).toBe(true)
		expect(sessionOf(serverDoc).get('phase')).toBe('open')
		expect(votesOf(serverDoc).has('shape:x')).toBe(false)
		expect(recordsOf(facilitator.doc).has('shape:viewer-note' as never)).toBe(false)
		expect(sessionOf(facilitator.doc).get('phase')).toBe('open')
		const late = await openParticipant(ctx, room)
		expect(recordsOf(late.doc).has('shape:viewer-note' as never)).toBe(false)
		expect(recordsOf(late.doc).has(zoneFrameId('dos'))).toBe(true)
	})
})

describe('a participant link', () => {
	it('cannot change the session state: reverted for everyone, and the client is told why', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const attacker = await openAnnounced(room)
		const endless: TimerState = {
			durationSeconds: 9999,
			endsAt: Date.now() + 9_999_000,
			remainingSeconds: 9999,
			running: true,
		}
		attacker.doc.transact(() => {
			sessionOf(attacker.doc).set('phase', 'closed')
			sessionOf(attacker.doc).set('votesPerParticipant', 50)
			sessionOf(attacker.doc).set('timer', endless)
			sessionOf(attacker.doc).set('structureLocked', false)
		})
		expect(await noticeFor(attacker)).toEqual(['server-owned'])
		await nextDocState(
			attacker.doc,
			() => sessionOf(attacker.doc).get('phase'),
			(p) => p === 'open'
		)
		expect(sessionOf(attacker.doc).toJSON()).toEqual(sessionOf(facilitator.doc).toJSON())
		expect(sessionOf(facilitator.doc).toJSON()).toMatchObject({
			phase: 'open',
			votesPerParticipant: 3,
			structureLocked: true,
		})
		expect((await ctx.client.getRoom(room.roomId)).phase).toBe('open')
		// Not even a new key in the session map survives.
		attacker.doc.transact(() => sessionOf(attacker.doc).set('owner', 'me'))
		await nextDocState(
			attacker.doc,
			() => sessionOf(attacker.doc).has('owner'),
			(has) => !has
		)
	})

	it("cannot change votes, neither other participants' counts nor its own", async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting' })
		const { noteId } = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Samen optrekken', clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, 'writer')
		)
		await ctx.client.vote(room.roomId, { noteId }, await participantToken(ctx.client, room, 'voter'))
		const attacker = await openAnnounced(room, 'attacker')
		expect(votesOf(attacker.doc).get(noteId)).toBe(1)
		attacker.doc.transact(() => {
			votesOf(attacker.doc).delete(noteId)
			votesOf(attacker.doc).set('shape:mine', 40)
		})
		expect(await noticeFor(attacker)).toEqual(['server-owned'])
		await nextDocState(
			attacker.doc,
			() => votesOf(attacker.doc).toJSON(),
			(v) => v[noteId] === 1 && !('shape:mine' in v)
		)
		// Over HTTP another participant's dot cannot be taken back either: a dot belongs to its participant.
		const res = await ctx.client.request<{ error: { code: string } }>('DELETE', `/api/rooms/${room.roomId}/votes`, {
			body: { noteId },
			token: await participantToken(ctx.client, room, 'attacker'),
		})
		expect(res.status).toBe(404)
		expect(res.body.error.code).toBe('no_vote')
		expect(votesOf(ctx.server.app.rooms.peek(room.roomId)!.doc).get(noteId)).toBe(1)
	})

	it('cannot move or delete structure while it is locked, nor touch the document or page; can once unlocked', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const attacker = await openAnnounced(room)
		const frameId = zoneFrameId('dos')
		const frame = recordsOf(attacker.doc).get(frameId) as unknown as Record<string, unknown>
		attacker.doc.transact(() =>
			recordsOf(attacker.doc).set(frameId, { ...frame, x: (frame.x as number) + 500 } as never)
		)
		expect(await noticeFor(attacker)).toEqual(['structure-locked'])
		await nextDocState(
			attacker.doc,
			() => (recordsOf(attacker.doc).get(frameId) as unknown as { x: number }).x,
			(x) => x === frame.x
		)

		let seq = latestNoticeSeq(attacker)
		attacker.doc.transact(() => {
			recordsOf(attacker.doc).delete(frameId)
			recordsOf(attacker.doc).delete(PAGE_ID as never)
			recordsOf(attacker.doc).set(
				DOCUMENT_ID as never,
				{ id: DOCUMENT_ID, typeName: 'document', name: 'Gekaapt', gridSize: 10, meta: {} } as never
			)
		})
		expect((await noticeFor(attacker, seq)).sort()).toEqual(['server-owned', 'structure-locked'])
		await nextDocState(
			attacker.doc,
			() => recordsOf(attacker.doc).has(frameId) && recordsOf(attacker.doc).has(PAGE_ID as never),
			Boolean
		)
		expect(recordsOf(facilitator.doc).has(frameId)).toBe(true)
		expect((recordsOf(facilitator.doc).get(DOCUMENT_ID as never) as unknown as { name: string }).name).not.toBe(
			'Gekaapt'
		)

		// A new shape that claims to be structure is refused too.
		seq = latestNoticeSeq(attacker)
		attacker.doc.transact(() =>
			recordsOf(attacker.doc).set(
				'shape:fake' as never,
				{ ...canvasNote('shape:fake', 'nep', PAGE_ID), meta: { kind: 'structure' } } as never
			)
		)
		expect(await noticeFor(attacker, seq)).toEqual(['structure-locked'])

		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { structureLocked: false })
		await nextDocState(
			attacker.doc,
			() => sessionOf(attacker.doc).get('structureLocked'),
			(v) => v === false
		)
		attacker.doc.transact(() =>
			recordsOf(attacker.doc).set(frameId, { ...frame, x: (frame.x as number) + 500 } as never)
		)
		await nextDocState(
			facilitator.doc,
			() => (recordsOf(facilitator.doc).get(frameId) as unknown as { x: number }).x,
			(x) => x === (frame.x as number) + 500
		)
	})

	it('cannot change anything once the session is closed', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const attacker = await openAnnounced(room)
		attacker.doc.transact(() =>
			recordsOf(attacker.doc).set(
				'shape:early' as never,
				canvasNote('shape:early', 'Vroeg', zoneFrameId('dos')) as never
			)
		)
		await waitFor(() => recordsOf(ctx.server.app.rooms.peek(room.roomId)!.doc).has('shape:early' as never))
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'closed' })
		await nextDocState(
			attacker.doc,
			() => sessionOf(attacker.doc).get('phase'),
			(p) => p === 'closed'
		)
		const note = recordsOf(attacker.doc).get('shape:early' as never) as unknown as Record<string, unknown>
		attacker.doc.transact(() => {
			recordsOf(attacker.doc).set('shape:early' as never, { ...note, x: 999 } as never)
			recordsOf(attacker.doc).set(
				'shape:late' as never,
				canvasNote('shape:late', 'Te laat', zoneFrameId('dos')) as never
			)
		})
		expect(await noticeFor(attacker)).toEqual(['session-closed'])
		await nextDocState(
			attacker.doc,
			() => recordsOf(attacker.doc).has('shape:late' as never),
			(has) => !has
		)
		const serverDoc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect((recordsOf(serverDoc).get('shape:early' as never) as unknown as { x: number }).x).toBe(note.x)
	})

	it('cannot send "Iedereen naar mij", overwrite the facilitator\'s presence or fake a server notice', async () => {
		const room = await ctx.client.createRoom('blanco')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const observer = await openParticipant(ctx, room)
		const attacker = await openParticipant(ctx, room)
		const summon = {
			viewport: { x: 0, y: 0, w: 100, h: 100 },
			viewportAt: 1,
			summon: { seq: 7, bounds: { x: 0, y: 0, w: 100, h: 100 } },
		}
		facilitator.provider.awareness.setLocalStateField(FACILITATOR_FIELD, summon)
		await waitFor(
			() =>
				(
					observer.provider.awareness.getStates().get(facilitator.doc.clientID) as Record<string, unknown> | undefined
				)?.[FACILITATOR_FIELD]
		)

		// 1. Its own state with the facilitator's field: the field is stripped, the rest arrives.
		attacker.provider.awareness.setLocalState({
			name: 'Mallory',
			[FACILITATOR_FIELD]: { ...summon, summon: { seq: 99, bounds: { x: 5000, y: 5000, w: 1, h: 1 } } },
		})
		await waitFor(
			() =>
				(observer.provider.awareness.getStates().get(attacker.doc.clientID) as { name?: string } | undefined)?.name ===
				'Mallory'
		)
		expect(observer.provider.awareness.getStates().get(attacker.doc.clientID)).toEqual({ name: 'Mallory' })

		// 2. A crafted update for the facilitator's client id, and one for the server's, with a far higher clock.
		const raw = await rawSocket(room.roomId, { participantToken: await participantToken(ctx.client, room, 'raw') })
		const serverClientId = ctx.server.app.rooms.peek(room.roomId)!.awareness.clientID
		raw.send(
			forgedAwareness(facilitator.doc.clientID, 10_000, {
				[FACILITATOR_FIELD]: { ...summon, summon: { seq: 100, bounds: { x: 9, y: 9, w: 9, h: 9 } } },
			})
		)
		raw.send(
			forgedAwareness(serverClientId, 10_000, {
				[SERVER_FIELD]: true,
				notice: { to: [observer.doc.clientID], reasons: ['fake'], seq: 1e6, at: 0 },
			})
		)
		// 3. Its own fresh client id, carrying a notice field: stripped as well.
		raw.send(
			forgedAwareness(424242, 1, {
				tag: 'raw-done',
				[SERVER_FIELD]: true,
				notice: { to: [observer.doc.clientID], reasons: ['fake'], seq: 2e6, at: 0 },
			})
		)
		await waitFor(
			() => (observer.provider.awareness.getStates().get(424242) as { tag?: string } | undefined)?.tag === 'raw-done'
		)
		expect(observer.provider.awareness.getStates().get(424242)).not.toHaveProperty(SERVER_FIELD)
		expect(readServerNotice(observer.provider.awareness.getStates().get(424242))).toBeNull()
		const facilitatorState = observer.provider.awareness.getStates().get(facilitator.doc.clientID) as Record<
			string,
			{ summon: { seq: number } }
		>
		expect(facilitatorState[FACILITATOR_FIELD].summon.seq).toBe(7)
		expect(
			[...observer.provider.awareness.getStates().values()].some((s) => readServerNotice(s)?.reasons.includes('fake'))
		).toBe(false)
		raw.close()
	})
})

describe('an anonymous room', () => {
	it('stores no author names: tldraw user records are refused from participants and the facilitator alike', async () => {
		const userRecord = (id: string, name: string) => ({
			id,
			typeName: 'user',
			name,
			color: '#d62828',
			imageUrl: '',
			meta: {},
		})
		const room = await ctx.client.createRoom('blanco')
		const facilitator = await openAnnounced(room, { key: room.facilitatorKey })
		const participant = await openAnnounced(room)
		participant.doc.transact(() =>
			recordsOf(participant.doc).set('user:p1' as never, userRecord('user:p1', 'Fatima') as never)
		)
		facilitator.doc.transact(() =>
			recordsOf(facilitator.doc).set('user:f1' as never, userRecord('user:f1', 'Anna') as never)
		)
		await nextDocState(
			participant.doc,
			() => recordsOf(participant.doc).has('user:p1' as never),
			(has) => !has
		)
		await nextDocState(
			facilitator.doc,
			() => recordsOf(facilitator.doc).has('user:f1' as never),
			(has) => !has
		)
		const serverDoc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(Buffer.from(Y.encodeStateAsUpdate(serverDoc)).includes(Buffer.from('Fatima'))).toBe(false)
		expect(Buffer.from(Y.encodeStateAsUpdate(serverDoc)).includes(Buffer.from('Anna'))).toBe(false)

		// A room created with names keeps them.
		const named = await ctx.client.createRoom('blanco', { anonymous: false })
		const other = await openAnnounced(named)
		other.doc.transact(() => recordsOf(other.doc).set('user:p2' as never, userRecord('user:p2', 'Fatima') as never))
		await waitFor(() => recordsOf(ctx.server.app.rooms.peek(named.roomId)!.doc).has('user:p2' as never))
	})
})

describe('private writing on the canvas', () => {
	it("keeps a participant's new canvas note from everyone else — not even its bytes travel — and holds it for its author until the reveal", async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
		const author = freshId('laptop')
		const writer = await openAnnounced(room, author)
		const other = await openParticipant(ctx, room)
		const spy = await eavesdrop(ctx.server.wsUrl, room.roomId, {
			participantToken: await participantToken(ctx.client, room, 'spy'),
		})
		const secret = `Geheim-${freshId('s')}`
		const id = `shape:${freshId('canvas')}`
		writer.doc.transact(() =>
			recordsOf(writer.doc).set(id as never, canvasNote(id, secret, zoneFrameId('donts')) as never)
		)
		expect(await noticeFor(writer)).toEqual(['private-writing'])
		await nextDocState(
			writer.doc,
			() => recordsOf(writer.doc).has(id as never),
			(has) => !has
		)
		// Held for the author, in the zone it was drawn in.
		const mine = await waitFor(async () => {
			const res = await ctx.client.request<{
				notes: { noteId: string; text: string; zoneId: string; status: string }[]
			}>('GET', `/api/rooms/${room.roomId}/notes`, { token: await participantToken(ctx.client, room, author) })
			return res.body.notes.find((n) => n.text === secret)
		})
		expect(mine).toMatchObject({ status: 'held', zoneId: 'donts' })
		await barrier(writer, other)
		expect(recordsOf(other.doc).has(id as never)).toBe(false)
		expect(notesOf(other.doc).some((n) => JSON.stringify(n).includes(secret))).toBe(false)
		expect(spy.bytes().includes(Buffer.from(secret))).toBe(false)
		expect(
			Buffer.from(Y.encodeStateAsUpdate(ctx.server.app.rooms.peek(room.roomId)!.doc)).includes(Buffer.from(secret))
		).toBe(false)
		// An empty sticky (the first step of drawing one) is refused the same way and not kept.
		const empty = `shape:${freshId('empty')}`
		const seq = latestNoticeSeq(writer)
		writer.doc.transact(() =>
			recordsOf(writer.doc).set(empty as never, canvasNote(empty, '', zoneFrameId('dos')) as never)
		)
		expect(await noticeFor(writer, seq)).toEqual(['private-writing'])

		const revealed = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
		expect(revealed.revealed).toBe(1)
		const placed = await nextDocState(
			other.doc,
			() => notesOf(other.doc).find((n) => JSON.stringify(n.props.richText).includes(secret)),
			Boolean
		)
		expect(placed!.parentId).toBe(zoneFrameId('donts'))
		expect(spy.bytes().includes(Buffer.from(secret))).toBe(true)
	})
})
