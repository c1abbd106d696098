/**
 * Themes (issue 18): "Groepen voorstellen" for a zone's notes, grouping notes into a named theme that moves as
 * one on the board (a frame in the zone), counting and ranking a theme as one in the report, ungrouping, and
 * only for the facilitator.
 */
import { describe, expect, it } from 'vitest'
import { RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import type { CreatedRoom } from './support/api'
import { freshId, nextDocState, openClient, participantToken, useInProcessServer } from './session-helpers'

const ctx = useInProcessServer()
const auth = (key: string) => ({ authorization: `Bearer ${key}` })

const NOTES = [
	'Ouders vroeg betrekken bij de aanpak',
	'Voorlichting voor ouders van jonge kinderen',
	'Ouders helpen het gesprek thuis te voeren',
	'meldingen sneller doorzetten naar Veilig Thuis',
	'Een meldpunt waar jongeren anoniem kunnen melden',
	'signalen van leerkrachten sneller melden',
	'Budget voor drie jaar',
]

interface Report {
	zones: {
		id: string | null
		notes: { id: string; text: string; votes: number }[]
		themes?: { id: string; label: string; votes: number; rank: number | null; noteIds: string[] }[]
	}[]
}

async function roomWithNotes(): Promise<{ room: CreatedRoom; ids: Record<string, string> }> {
	const room = await ctx.client.createRoom('dos-en-donts')
	const ids: Record<string, string> = {}
	for (const text of NOTES) {
		ids[text] = (
			await ctx.client.postNote(
				room.roomId,
				{ zoneId: 'dos', text, clientNoteId: freshId('n') },
				await participantToken(ctx.client, room, freshId('p'))
			)
		).noteId
	}
	return { room, ids }
}

const report = async (room: CreatedRoom) =>
	(await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'json')).json()) as Report

describe('themes', () => {
	it('proposes themes for a zone, groups notes as one on the board, and ungroups them', async () => {
		const { room, ids } = await roomWithNotes()
		const path = `/api/rooms/${room.roomId}/themes`
		const suggested = await ctx.client.request<{ proposals: { label: string; noteIds: string[] }[] }>(
			'POST',
			`${path}/suggestions`,
			{ headers: auth(room.facilitatorKey), body: { zoneId: 'dos' } }
		)
		expect(suggested.status).toBe(200)
		const byLabel = new Map(suggested.body.proposals.map((p) => [p.label, new Set(p.noteIds)]))
		expect(byLabel.get('Ouders')).toEqual(new Set(NOTES.slice(0, 3).map((t) => ids[t])))
		expect(byLabel.get('Melden')).toEqual(new Set(NOTES.slice(3, 6).map((t) => ids[t])))
		expect([...byLabel.values()].some((set) => set.has(ids['Budget voor drie jaar']))).toBe(false)

		// The facilitator accepts "Ouders" under its own label.
		const created = await ctx.client.request<{ themeId: string }>('POST', path, {
			headers: auth(room.facilitatorKey),
			body: { zoneId: 'dos', label: 'Betrek de ouders', noteIds: [...byLabel.get('Ouders')!] },
		})
		expect(created.status).toBe(201)
		const themeId = created.body.themeId
		const board = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const records = board.doc.getMap(RECORDS_MAP)
		const theme = records.get(themeId) as {
			type: string
			parentId: string
			props: { name: string }
			meta: { kind: string }
		}
		expect(theme).toMatchObject({ type: 'frame', parentId: zoneFrameId('dos'), props: { name: 'Betrek de ouders' } })
		expect(theme.meta.kind).toBe('theme')
		for (const text of NOTES.slice(0, 3))
			expect((records.get(ids[text]) as { parentId: string }).parentId).toBe(themeId)

		// Grouped notes are not proposed or grouped again; they stay in their zone.
		const again = await ctx.client.request<{ proposals: { noteIds: string[] }[] }>('POST', `${path}/suggestions`, {
			headers: auth(room.facilitatorKey),
			body: { zoneId: 'dos' },
		})
		expect(again.body.proposals.flatMap((p) => p.noteIds)).not.toContain(ids[NOTES[0]])
		const twice = await ctx.client.request('POST', path, {
			headers: auth(room.facilitatorKey),
			body: { zoneId: 'dos', label: 'Nog eens', noteIds: [ids[NOTES[0]]] },
		})
		expect(twice.status).toBe(400)
		const dos = (await report(room)).zones.find((z) => z.id === 'dos')!
		expect(dos.notes).toHaveLength(NOTES.length)
		expect(dos.themes).toEqual([
			expect.objectContaining({
				id: themeId,
				label: 'Betrek de ouders',
				noteIds: expect.arrayContaining([ids[NOTES[0]]]),
			}),
		])

		// Ungroup: the notes stay in the zone, the theme frame goes.
		expect(
			(
				await ctx.client.request('DELETE', `${path}/${encodeURIComponent(themeId)}`, {
					headers: auth(room.facilitatorKey),
				})
			).status
		).toBe(204)
		await nextDocState(
			board.doc,
			() => records.has(themeId),
			(has) => !has
		)
		for (const text of NOTES.slice(0, 3))
			expect((records.get(ids[text]) as { parentId: string }).parentId).toBe(zoneFrameId('dos'))
		expect((await report(room)).zones.find((z) => z.id === 'dos')!.themes).toBeUndefined()
	})

	it('counts and ranks a theme as one in the report, by the dots on its notes together', async () => {
		const { room, ids } = await roomWithNotes()
		const path = `/api/rooms/${room.roomId}/themes`
		const group = async (label: string, texts: string[]) =>
			(
				await ctx.client.request<{ themeId: string }>('POST', path, {
					headers: auth(room.facilitatorKey),
					body: { zoneId: 'dos', label, noteIds: texts.map((t) => ids[t]) },
				})
			).body.themeId
		const ouders = await group('Ouders', NOTES.slice(0, 3))
		const melden = await group('Melden', NOTES.slice(3, 6))
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		// "Budget" alone gets the most dots of any single note, but Melden's three notes together get more.
		const dot = async (text: string) =>
			ctx.client.request('POST', `/api/rooms/${room.roomId}/votes`, {
				body: { noteId: ids[text] },
				token: await participantToken(ctx.client, room, freshId('v')),
			})
		for (let i = 0; i < 3; i++) await dot('Budget voor drie jaar')
		for (const text of NOTES.slice(3, 6)) for (let i = 0; i < 2; i++) await dot(text)
		await dot(NOTES[0])
		const dos = (await report(room)).zones.find((z) => z.id === 'dos')!
		expect(dos.themes!.map((t) => [t.id, t.votes, t.rank])).toEqual([
			[melden, 6, 1],
			[ouders, 1, 2],
		])
		const md = await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'md')).text()
		expect(md).toContain("**Thema's**")
		expect(md).toMatch(/1\. \*\*Melden\*\* \(6 stippen\): /)
		// CSV: the zone's themes first, one row each with their rank and dots together; every note names its theme.
		const csv = (await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'csv')).text())
			.replace(/^\uFEFF/, '')
			.split('\r\n')
			.filter(Boolean)
			.map((line) => line.split(',').map((field) => field.replace(/^"|"$/g, '')))
		expect(csv[0].at(-1)).toBe('Thema')
		const dosRows = csv.filter((row) => row[0] === 'dos')
		expect(dosRows.slice(0, 2).map((row) => [row[6], row[2], row[3], row[4], row[7]])).toEqual([
			[melden, '1', 'Melden', '6', 'Melden'],
			[ouders, '2', 'Ouders', '1', 'Ouders'],
		])
		const themeColumn = (text: string) => dosRows.find((row) => row[6] === ids[text])?.[7]
		for (const text of NOTES.slice(0, 3)) expect(themeColumn(text)).toBe('Ouders')
		for (const text of NOTES.slice(3, 6)) expect(themeColumn(text)).toBe('Melden')
		expect(themeColumn('Budget voor drie jaar')).toBe('')
	})

	it('is for the facilitator only, and checks the zone', async () => {
		const { room, ids } = await roomWithNotes()
		const path = `/api/rooms/${room.roomId}/themes`
		expect((await ctx.client.request('POST', `${path}/suggestions`, { body: { zoneId: 'dos' } })).status).toBe(401)
		const participant = await ctx.client.request('POST', path, {
			headers: auth('not-the-key-not-the-key-not-the-key'),
			body: { zoneId: 'dos', label: 'x', noteIds: [ids[NOTES[0]]] },
		})
		expect(participant.status).toBe(403)
		const wrongZone = await ctx.client.request('POST', `${path}/suggestions`, {
			headers: auth(room.facilitatorKey),
			body: { zoneId: 'nope' },
		})
		expect(wrongZone.status).toBe(400)
		const notInZone = await ctx.client.request('POST', path, {
			headers: auth(room.facilitatorKey),
			body: { zoneId: 'donts', label: 'x', noteIds: [ids[NOTES[0]]] },
		})
		expect(notInZone.status).toBe(400)
	})
})
