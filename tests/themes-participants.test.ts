/**
 * Themes, the rest of issue 18's "Must have" 1: participants group notes into themes when the facilitator allows
 * it (a session setting, `PUT /api/rooms/:roomId/themes/participants`; the REST routes check the participant's
 * token, the board's rules refuse theme frames made, renamed or removed on the canvas otherwise), and a dot can go
 * to a theme itself — one item, counted in the report as the theme's together with its notes' dots.
 */
import { describe, expect, it } from 'vitest'
import { PARTICIPANT_THEMES_KEY, RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import { readServerNotice } from '@kompasbord/shared/session-awareness'
import type { CreatedRoom } from './support/api'
import { waitFor } from './support/wait-for'
import type { YClient } from './support/y-client'
import {
	freshId,
	nextDocState,
	openClient,
	participantToken,
	recordsOf,
	sessionOf,
	useInProcessServer,
} from './session-helpers'

const ctx = useInProcessServer()

type ErrorAnswer = { error: { code: string } }

interface Report {
	totals: { notes: number; votes: number }
	zones: {
		id: string | null
		notes: { id: string; votes: number }[]
		themes?: { id: string; label: string; votes: number; rank: number | null; noteIds: string[] }[]
	}[]
}

async function roomWithNotes(texts: string[]): Promise<{ room: CreatedRoom; ids: string[] }> {
	const room = await ctx.client.createRoom('dos-en-donts')
	const ids: string[] = []
	for (const text of texts) {
		const token = await participantToken(ctx.client, room, freshId('writer'))
		ids.push(
			(await ctx.client.postNote(room.roomId, { zoneId: 'dos', text, clientNoteId: freshId('n') }, token)).noteId
		)
	}
	return { room, ids }
}

/** `token`: the facilitator key unless given; null sends none. */
const allow = (room: CreatedRoom, allowed: boolean, token: string | null = room.facilitatorKey) =>
	ctx.client.request<{ allowed: boolean } & ErrorAnswer>('PUT', `/api/rooms/${room.roomId}/themes/participants`, {
		body: { allowed },
		token: token ?? undefined,
	})

const group = (room: CreatedRoom, token: string | undefined, noteIds: string[], label = 'Samen') =>
	ctx.client.request<{ themeId: string } & ErrorAnswer>('POST', `/api/rooms/${room.roomId}/themes`, {
		body: { zoneId: 'dos', label, noteIds },
		token,
	})

const ungroup = (room: CreatedRoom, token: string | undefined, themeId: string) =>
	ctx.client.request<ErrorAnswer>('DELETE', `/api/rooms/${room.roomId}/themes/${themeId}`, { token })

/** The reasons of the next server notice addressed to this client (after notice `seqAfter`). */
function noticeFor(c: YClient, seqAfter = 0): Promise<string[]> {
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

describe('participants grouping notes', () => {
	it('is switched by the facilitator alone: 401 without a key, 403 with a participant token', async () => {
		const { room } = await roomWithNotes(['Ouders betrekken'])
		const participant = await participantToken(ctx.client, room, freshId('p'))
		expect((await allow(room, true, null)).status).toBe(401)
		const refused = await allow(room, true, participant)
		expect(refused.status).toBe(403)
		expect((await allow(room, true, 'x'.repeat(32))).status).toBe(403)
		const set = await allow(room, true)
		expect([set.status, set.body.allowed]).toEqual([200, true])
		const board = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		expect(sessionOf(board.doc).get(PARTICIPANT_THEMES_KEY)).toBe(true)
	})

	it('is refused (403 themes_not_allowed) until the facilitator allows it, then a participant groups and ungroups', async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken', 'Ouders informeren', 'Budget'])
		const participant = await participantToken(ctx.client, room, freshId('p'))
		expect((await group(room, undefined, ids.slice(0, 2))).status).toBe(401)
		const before = await group(room, participant, ids.slice(0, 2))
		expect([before.status, before.body.error.code]).toEqual([403, 'themes_not_allowed'])

		await allow(room, true)
		const made = await group(room, participant, ids.slice(0, 2), 'Ouders')
		expect(made.status).toBe(201)
		const board = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const theme = recordsOf(board.doc).get(made.body.themeId as never) as unknown as {
			parentId: string
			props: { name: string }
		}
		expect(theme).toMatchObject({ parentId: zoneFrameId('dos'), props: { name: 'Ouders' } })
		// A token of another room is no way in.
		const other = await ctx.client.createRoom('dos-en-donts')
		const stranger = await participantToken(ctx.client, other, freshId('p'))
		expect((await ungroup(room, stranger, made.body.themeId)).status).toBe(403)

		// Switched off again: the participant can no longer ungroup; the facilitator can.
		await allow(room, false)
		const refused = await ungroup(room, participant, made.body.themeId)
		expect([refused.status, refused.body.error.code]).toEqual([403, 'themes_not_allowed'])
		await allow(room, true)
		expect((await ungroup(room, participant, made.body.themeId)).status).toBe(204)
		await nextDocState(
			board.doc,
			() => board.doc.getMap(RECORDS_MAP).has(made.body.themeId),
			(has) => !has
		)
	})

	it('on the canvas: a participant may move a theme, but renames it or drags notes out of it only while participants may group', async () => {
		const { room, ids } = await roomWithNotes(['Veilig melden', 'Anoniem melden'])
		const made = await group(room, room.facilitatorKey, ids, 'Melden')
		const themeId = made.body.themeId
		const participant = await openClient(ctx.server.wsUrl, room.roomId, {
			participantToken: await participantToken(ctx.client, room, freshId('board')),
		})
		participant.provider.awareness.setLocalStateField('user', { name: 'Test', color: '#000000' })
		const records = recordsOf(participant.doc)
		const theme = () => records.get(themeId as never) as unknown as { x: number; props: { name: string } }
		const original = theme()

		// Moving is fine (notes move with their theme).
		participant.doc.transact(() => records.set(themeId as never, { ...original, x: original.x + 40 } as never))
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await nextDocState(
			facilitator.doc,
			() => (recordsOf(facilitator.doc).get(themeId as never) as unknown as { x: number }).x,
			(x) => x === original.x + 40
		)

		// Renaming is refused and undone, with the reason.
		const moved = theme()
		participant.doc.transact(() =>
			records.set(themeId as never, { ...moved, props: { ...moved.props, name: 'Gekaapt' } } as never)
		)
		expect(await noticeFor(participant)).toEqual(['themes-facilitator'])
		await nextDocState(
			participant.doc,
			() => theme().props.name,
			(name) => name === 'Melden'
		)

		// Dragging a note out of the theme (into the zone's frame) ungroups it: refused too.
		const noteRecord = () => records.get(ids[0] as never) as unknown as { parentId: string; x: number; y: number }
		const inTheme = noteRecord()
		let seq = 0
		for (const state of participant.provider.awareness.getStates().values()) seq = readServerNotice(state)?.seq ?? seq
		participant.doc.transact(() =>
			records.set(ids[0] as never, { ...inTheme, parentId: zoneFrameId('dos'), x: 400, y: 400 } as never)
		)
		expect(await noticeFor(participant, seq)).toEqual(['themes-facilitator'])
		await nextDocState(
			participant.doc,
			() => noteRecord().parentId,
			(parentId) => parentId === themeId
		)

		// Once participants may group, the same rename stays.
		await allow(room, true)
		await nextDocState(
			participant.doc,
			() => sessionOf(participant.doc).get(PARTICIPANT_THEMES_KEY),
			(value) => value === true
		)
		const current = theme()
		participant.doc.transact(() =>
			records.set(themeId as never, { ...current, props: { ...current.props, name: 'Veilig melden' } } as never)
		)
		await nextDocState(
			facilitator.doc,
			() => (recordsOf(facilitator.doc).get(themeId as never) as unknown as { props: { name: string } }).props.name,
			(name) => name === 'Veilig melden'
		)
		// And a note dragged out of it stays out.
		participant.doc.transact(() =>
			records.set(ids[0] as never, { ...noteRecord(), parentId: zoneFrameId('dos'), x: 400, y: 400 } as never)
		)
		await nextDocState(
			facilitator.doc,
			() => (recordsOf(facilitator.doc).get(ids[0] as never) as unknown as { parentId: string }).parentId,
			(parentId) => parentId === zoneFrameId('dos')
		)
	})
})

describe('a dot on a theme', () => {
	it("counts as one item of the theme: in the report with its notes' dots, in the totals, and given back on ungroup", async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken', 'Ouders informeren', 'Budget voor drie jaar'])
		const made = await group(room, room.facilitatorKey, ids.slice(0, 2), 'Ouders')
		const themeId = made.body.themeId
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		const voter = await participantToken(ctx.client, room, freshId('voter'))
		const dot = (noteId: string, token = voter) =>
			ctx.client.request<{ votes: number; remaining: number; mine: Record<string, number> } & ErrorAnswer>(
				'POST',
				`/api/rooms/${room.roomId}/votes`,
				{ body: { noteId }, token }
			)
		const onTheme = await dot(themeId)
		expect(onTheme.status).toBe(201)
		expect(onTheme.body).toMatchObject({ votes: 1, remaining: 2, mine: { [themeId]: 1 } })
		expect((await dot(ids[0])).status).toBe(201)
		const other = await participantToken(ctx.client, room, freshId('voter'))
		expect((await dot(ids[2], other)).status).toBe(201)
		// A zone frame takes no dots.
		const zone = await dot(zoneFrameId('dos'))
		expect([zone.status, zone.body.error.code]).toEqual([404, 'note_not_found'])

		const report = (await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'json')).json()) as Report
		const dos = report.zones.find((z) => z.id === 'dos')!
		// The theme: its own dot and its note's dot, one item; the lone note has one.
		expect(dos.themes!.map((t) => [t.id, t.votes, t.rank])).toEqual([[themeId, 2, 1]])
		expect(report.totals.votes).toBe(3)
		// The voting list (phones, the board's ranking) ranks the theme as one item too.
		const listed = await ctx.client.request<{
			zones: { zoneId: string; themes?: { themeId: string; votes: number; own: number; noteIds: string[] }[] }[]
		}>('GET', `/api/rooms/${room.roomId}/votes`, { token: voter })
		expect(listed.body.zones.find((z) => z.zoneId === 'dos')!.themes).toEqual([
			expect.objectContaining({ themeId, votes: 2, own: 1, noteIds: expect.arrayContaining(ids.slice(0, 2)) }),
		])

		// Ungrouping gives the theme's own dot back.
		expect((await ungroup(room, room.facilitatorKey, themeId)).status).toBe(204)
		const list = await ctx.client.request<{ votes: { remaining: number; mine: Record<string, number> } }>(
			'GET',
			`/api/rooms/${room.roomId}/votes`,
			{ token: voter }
		)
		expect(list.body.votes.remaining).toBe(2)
		expect(list.body.votes.mine[themeId]).toBeUndefined()
	})
})
