/**
 * Trajects: creating one and its key, boards created in it, carrying results forward from earlier boards into a
 * later one (ambitions by votes into the matrix's ambition, results into its columns, indicators into
 * monitoring), running carry-forward again, the traject page's list and the traject report.
 */
import JSZip from 'jszip'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import type { CreatedRoom } from './support/api'
import { freshId, participantToken, useInProcessServer } from './session-helpers'

const ctx = useInProcessServer()

interface CreatedTraject {
	trajectId: string
	trajectKey: string
	links: { traject: string }
}
interface Offer {
	into: string
	columns: boolean
	label: string
	fromTemplate: string
	items: { id: string; text: string; votes: number; sourceRoomId: string }[]
}
interface ReportJson {
	zones: { id: string | null; notes: { text: string; carriedFrom?: { roomId: string; title: string } }[] }[]
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` })

async function createTraject(title = 'Gemeente Zuid'): Promise<CreatedTraject> {
	const res = await ctx.client.request<CreatedTraject>('POST', '/api/trajects', { body: { title } })
	expect(res.status).toBe(201)
	return res.body
}

async function boardIn(traject: CreatedTraject, templateId: string, title: string, carry: string[] = []) {
	const res = await ctx.client.request<CreatedRoom & { error?: { code: string } }>('POST', '/api/rooms', {
		body: { templateId, title, trajectId: traject.trajectId, trajectKey: traject.trajectKey, carry },
	})
	expect(res.status, JSON.stringify(res.body)).toBe(201)
	return res.body
}

async function note(room: CreatedRoom, zoneId: string, text: string): Promise<string> {
	return (
		await ctx.client.postNote(
			room.roomId,
			{ zoneId, text, clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, freshId('p'))
		)
	).noteId
}

async function offers(traject: CreatedTraject, query: string): Promise<Offer[]> {
	const res = await ctx.client.request<{ offers: Offer[] }>(
		'GET',
		`/api/trajects/${traject.trajectId}/offers?${query}`,
		{
			headers: auth(traject.trajectKey),
		}
	)
	expect(res.status, JSON.stringify(res.body)).toBe(200)
	return res.body.offers
}

async function report(room: CreatedRoom): Promise<ReportJson> {
	return (await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'json')).json()) as ReportJson
}

const zoneNotes = (r: ReportJson, zoneId: string) => r.zones.find((z) => z.id === zoneId)?.notes ?? []

/** Gives `dots` votes to a note, each from another participant, in a voting round of the room. */
async function giveDots(room: CreatedRoom, noteId: string, dots: number): Promise<void> {
	for (let i = 0; i < dots; i++) {
		const res = await ctx.client.request('POST', `/api/rooms/${room.roomId}/votes`, {
			body: { noteId },
			token: await participantToken(ctx.client, room, freshId('voter')),
		})
		expect(res.status).toBe(201)
	}
}

describe('a traject', () => {
	it('is created with a key that every traject route needs', async () => {
		const traject = await createTraject()
		expect(traject.trajectKey).toMatch(/^[A-Za-z0-9_-]{20,}$/)
		expect(traject.links.traject).toMatch(new RegExp(`/t/${traject.trajectId}#key=${traject.trajectKey}$`))
		const path = `/api/trajects/${traject.trajectId}`
		expect((await ctx.client.request('GET', path)).status).toBe(401)
		expect((await ctx.client.request('GET', path, { headers: auth('wrong-key-wrong-key-wrong') })).status).toBe(403)
		expect((await ctx.client.request('GET', '/api/trajects/nope', { headers: auth(traject.trajectKey) })).status).toBe(
			404
		)
		for (const sub of ['offers?templateId=activiteitenmatrix', 'export.md', 'export.docx']) {
			expect((await ctx.client.request('GET', `${path}/${sub}`)).status).toBe(401)
		}
		const wrong = await ctx.client.request<{ error: { code: string } }>('POST', '/api/rooms', {
			body: { templateId: 'ambities', trajectId: traject.trajectId, trajectKey: 'wrong-key-wrong-key-wrong' },
		})
		expect(wrong.status).toBe(403)
		const missing = await ctx.client.request('POST', '/api/rooms', {
			body: { templateId: 'ambities', trajectId: traject.trajectId },
		})
		expect(missing.status).toBe(401)
		const outside = await ctx.client.request<{ error: { code: string } }>('POST', '/api/rooms', {
			body: { templateId: 'ambities', carry: ['x/shape:y'] },
		})
		expect(outside.status).toBe(400)
		expect((await ctx.client.request('POST', '/api/trajects', { body: { title: '' } })).status).toBe(400)
	})

	it('carries ambitions by votes, results into columns and indicators forward; unticked items stay behind; twice adds nothing twice', async () => {
		const traject = await createTraject('Gemeente Noord')
		const ambities = await boardIn(traject, 'ambities', 'Ambities 2027')
		const a = await note(ambities, 'ambities', 'Jongeren kennen hun grenzen')
		const b = await note(ambities, 'ambities', 'Ouders praten over relaties en seks')
		const c = await note(ambities, 'ambities', 'Scholen grijpen vroeg in')
		await note(ambities, 'vragen', 'Waarom sexting?')
		await ctx.client.patchSession(ambities.roomId, ambities.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		await giveDots(ambities, b, 3)
		await giveDots(ambities, c, 2)
		await giveDots(ambities, a, 1)

		const resultaten = await boardIn(traject, 'resultaten-en-indicatoren', 'Resultaten', [])
		const r1 = await note(resultaten, 'resultaten', 'Minder sexting zonder toestemming')
		const r2 = await note(resultaten, 'resultaten', 'Meer meldingen bij vertrouwenspersonen')
		const i1 = await note(resultaten, 'indicatoren', 'Percentage jongeren dat nee durft te zeggen')

		// What the matrix would get: ambitions most dots first, the results for its columns.
		const forMatrix = await offers(traject, 'templateId=activiteitenmatrix')
		expect(forMatrix.map((o) => o.into)).toEqual(['ambitie', 'resultaat-{n}'])
		expect(forMatrix[0].items.map((i) => i.text)).toEqual([
			'Ouders praten over relaties en seks',
			'Scholen grijpen vroeg in',
			'Jongeren kennen hun grenzen',
		])
		expect(forMatrix[0].items.map((i) => i.votes)).toEqual([3, 2, 1])
		expect(forMatrix[1]).toMatchObject({ columns: true, fromTemplate: 'resultaten-en-indicatoren' })
		expect(forMatrix[1].items.map((i) => i.text)).toEqual([
			'Minder sexting zonder toestemming',
			'Meer meldingen bij vertrouwenspersonen',
		])
		// resultaten-en-indicatoren's ambition zone takes the ambitions too.
		expect((await offers(traject, 'templateId=resultaten-en-indicatoren'))[0].items).toHaveLength(3)

		// The facilitator unticks ambition c; both results come along, so the matrix gets two columns.
		const id = (roomId: string, noteId: string) => `${roomId}/${noteId}`
		const matrix = await boardIn(traject, 'activiteitenmatrix', 'Activiteiten', [
			id(ambities.roomId, b),
			id(ambities.roomId, a),
			id(resultaten.roomId, r1),
			id(resultaten.roomId, r2),
		])
		const matrixReport = await report(matrix)
		expect(matrixReport.zones.map((z) => z.id)).toContain('resultaat-2')
		expect(matrixReport.zones.map((z) => z.id)).not.toContain('resultaat-3')
		expect(zoneNotes(matrixReport, 'ambitie').map((n) => n.text)).toEqual([
			'Ouders praten over relaties en seks',
			'Jongeren kennen hun grenzen',
		])
		expect(zoneNotes(matrixReport, 'ambitie')[0].carriedFrom).toEqual({
			roomId: ambities.roomId,
			title: 'Ambities 2027',
		})
		expect(zoneNotes(matrixReport, 'resultaat-1').map((n) => n.text)).toEqual(['Minder sexting zonder toestemming'])
		expect(zoneNotes(matrixReport, 'resultaat-2').map((n) => n.text)).toEqual([
			'Meer meldingen bij vertrouwenspersonen',
		])

		// Again on the existing board: only the unticked ambition is new; the results were carried already.
		const again = await offers(traject, `roomId=${matrix.roomId}`)
		expect(again.find((o) => o.into === 'ambitie')!.items.map((i) => i.text)).toEqual(['Scholen grijpen vroeg in'])
		expect(again.find((o) => o.into === 'resultaat-{n}')!.items).toEqual([])
		const carryPath = `/api/trajects/${traject.trajectId}/boards/${matrix.roomId}/carry`
		const carried = await ctx.client.request<{ carried: number }>('POST', carryPath, {
			headers: auth(traject.trajectKey),
			body: { items: [id(ambities.roomId, c)] },
		})
		expect(carried.body).toEqual({ carried: 1 })
		const twice = await ctx.client.request<{ error: { code: string } }>('POST', carryPath, {
			headers: auth(traject.trajectKey),
			body: { items: [id(ambities.roomId, c)] },
		})
		expect(twice.status).toBe(400)
		expect(twice.body.error.code).toBe('not_offered')
		expect(zoneNotes(await report(matrix), 'ambitie')).toHaveLength(3)

		// A new result finds no free column on the two-column matrix.
		const r3 = await note(resultaten, 'resultaten', 'Meer jongeren zoeken hulp')
		const noColumn = await ctx.client.request<{ error: { code: string; message: string } }>('POST', carryPath, {
			headers: auth(traject.trajectKey),
			body: { items: [id(resultaten.roomId, r3)] },
		})
		expect(noColumn.status).toBe(400)
		expect(noColumn.body.error.message).toMatch(/column/)

		// Monitoring takes the indicators.
		const monitoring = await boardIn(traject, 'monitoring', 'Monitoring', [id(resultaten.roomId, i1)])
		expect(zoneNotes(await report(monitoring), 'indicatoren').map((n) => n.text)).toEqual([
			'Percentage jongeren dat nee durft te zeggen',
		])

		// The traject lists its boards in compass order with their counts.
		const listed = await ctx.client.request<{
			title: string
			boards: { roomId: string; templateId: string; bouwsteen: string; notes: number; carried: number }[]
		}>('GET', `/api/trajects/${traject.trajectId}`, { headers: auth(traject.trajectKey) })
		expect(listed.body.title).toBe('Gemeente Noord')
		expect(listed.body.boards.map((x) => x.templateId)).toEqual([
			'ambities',
			'resultaten-en-indicatoren',
			'monitoring',
			'activiteitenmatrix',
		])
		expect(listed.body.boards.find((x) => x.roomId === matrix.roomId)).toMatchObject({ notes: 5, carried: 5 })
	})

	it('writes one report in compass order with every board, the kept images and where carried notes came from', async () => {
		const traject = await createTraject('Regio Oost')
		const ambities = await boardIn(traject, 'ambities', 'Ambities Oost')
		const amb = await note(ambities, 'ambities', 'Iedereen kent de meldcode')
		const resultaten = await boardIn(traject, 'resultaten-en-indicatoren', 'Resultaten Oost', [
			`${ambities.roomId}/${amb}`,
		])
		await note(resultaten, 'keuzes', 'Investeren in de basisschool')

		// The facilitator's board keeps an image for the traject (facilitator key; a PNG only).
		const png = new PNG({ width: 40, height: 30 })
		png.data.fill(200)
		const image = PNG.sync.write(png)
		const snapshotPath = `/api/rooms/${resultaten.roomId}/snapshot`
		const put = (key: string, body: Buffer) =>
			fetch(`${ctx.server.baseUrl}${snapshotPath}`, {
				method: 'PUT',
				headers: { ...auth(key), 'content-type': 'image/png' },
				body: new Uint8Array(body),
			})
		expect((await put(ambities.facilitatorKey, image)).status).toBe(403)
		expect((await put(resultaten.facilitatorKey, Buffer.from('not a png'))).status).toBe(400)
		expect((await put(resultaten.facilitatorKey, image)).status).toBe(204)
		const kept = await fetch(
			`${ctx.server.baseUrl}/api/trajects/${traject.trajectId}/boards/${resultaten.roomId}/snapshot.png`,
			{ headers: auth(traject.trajectKey) }
		)
		expect(kept.status).toBe(200)
		expect(Buffer.from(await kept.arrayBuffer()).equals(image)).toBe(true)

		const md = await fetch(`${ctx.server.baseUrl}/api/trajects/${traject.trajectId}/export.md`, {
			headers: auth(traject.trajectKey),
		})
		expect(md.status).toBe(200)
		expect(md.headers.get('content-disposition')).toMatch(/attachment; filename="kompasbord-traject-regio-oost/i)
		const text = await md.text()
		expect(text.startsWith('# Traject: Regio Oost')).toBe(true)
		expect(text.indexOf('## Ambities Oost')).toBeGreaterThan(0)
		expect(text.indexOf('## Resultaten Oost')).toBeGreaterThan(text.indexOf('## Ambities Oost'))
		expect(text).toContain('Iedereen kent de meldcode (uit Ambities Oost)')
		expect(text).toContain('Investeren in de basisschool')

		const docx = await fetch(`${ctx.server.baseUrl}/api/trajects/${traject.trajectId}/export.docx?lang=en`, {
			headers: auth(traject.trajectKey),
		})
		expect(docx.status).toBe(200)
		const zip = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()))
		const xml = await zip.file('word/document.xml')!.async('string')
		expect(xml).toContain('Traject: Regio Oost')
		expect(xml.indexOf('Ambities Oost')).toBeLessThan(xml.indexOf('Resultaten Oost'))
		expect(xml).toContain('Investeren in de basisschool')
		expect(xml).toContain('(from Ambities Oost)')
		const media = Object.keys(zip.files).filter((name) => name.startsWith('word/media/'))
		expect(media).toHaveLength(1)
		expect(Buffer.from(await zip.file(media[0])!.async('uint8array')).equals(image)).toBe(true)
	})
})
