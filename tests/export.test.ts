/**
 * Report exports: golden files for Markdown, CSV and JSON from the fixture board, what the golden files must
 * hold (so a regenerated golden file cannot hide a regression), the Word report opened again and read, and the
 * HTTP routes on a real server with a real SQLite room.
 */
import JSZip from 'jszip'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveZones } from '@kompasbord/templates'
import {
	buildReport,
	renderCsv,
	renderDocx,
	renderJson,
	renderMarkdown,
	reportDate,
	type ExportReport,
} from '../server/src/export'
import { api, startServerInProcess, type InProcessServer } from './support'
import {
	FIXTURE_NOW,
	FIXTURE_ROOM,
	FIXTURE_TEMPLATE_ID,
	addFixtureContent,
	buildFixtureDoc,
	fixtureNoteId,
} from './fixtures/export-fixture'

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = []
	let row: string[] = []
	let field = ''
	let quoted = false
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"'
				i++
			} else if (ch === '"') quoted = false
			else field += ch
		} else if (ch === '"') quoted = true
		else if (ch === ',') {
			row.push(field)
			field = ''
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(field)
			rows.push(row)
			row = []
			field = ''
			i++
		} else field += ch
	}
	if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF')
	return rows
}

/** The paragraphs of a .docx (word/document.xml), as plain text. */
async function docxParagraphs(data: Uint8Array | ArrayBuffer): Promise<{ paragraphs: string[]; media: Uint8Array[] }> {
	const zip = await JSZip.loadAsync(data)
	const xml = await zip.file('word/document.xml')!.async('string')
	const decode = (s: string) =>
		s
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&apos;/g, "'")
			.replace(/&amp;/g, '&')
	const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
		[...p[0].matchAll(/<w:t(?: [^>]*)?>([\s\S]*?)<\/w:t>|<w:br\/>/g)]
			.map((m) => (m[1] === undefined ? '\n' : decode(m[1])))
			.join('')
	)
	const media: Uint8Array[] = []
	for (const name of Object.keys(zip.files).filter((n) => n.startsWith('word/media/'))) {
		media.push(await zip.file(name)!.async('uint8array'))
	}
	return { paragraphs, media }
}

/** A small PNG of a solid colour. */
function makePng(width: number, height: number): Buffer {
	const png = new PNG({ width, height })
	for (let i = 0; i < png.data.length; i += 4) png.data.set([40, 120, 200, 255], i)
	return PNG.sync.write(png)
}

const fixtureReport = (options: Parameters<typeof buildFixtureDoc>[0] = {}, room = FIXTURE_ROOM): ExportReport =>
	buildReport({ room, doc: buildFixtureDoc(options), now: FIXTURE_NOW })

describe('report of the fixture board', () => {
	const report = fixtureReport()

	it('matches the golden Markdown, CSV and JSON', async () => {
		await expect(renderMarkdown(report)).toMatchFileSnapshot('./fixtures/export/report.md')
		await expect(renderCsv(report)).toMatchFileSnapshot('./fixtures/export/report.csv')
		await expect(renderJson(report)).toMatchFileSnapshot('./fixtures/export/report.json')
	})

	it('lists every zone in worksheet order, then "Overig" with the note outside every zone', () => {
		const worksheet = resolveZones(FIXTURE_TEMPLATE_ID, {})!.map((z) => z.id)
		expect(report.zones.map((z) => z.id)).toEqual([...worksheet, null])
		const other = report.zones.at(-1)!
		expect(other.label).toBe('Overig')
		expect(other.notes.map((n) => n.id)).toEqual([fixtureNoteId('outside')])
		expect(report.zones.find((z) => z.id === 'verhaal')!.question).toMatch(/\S/)
		expect(report.template).toEqual({ id: 'veranderverhaal', title: 'Veranderverhaal', bouwsteen: '3-A' })
		expect(report.date).toBe('2025-06-13') // 22:30 UTC is past midnight in Amsterdam
	})

	it('puts phone notes, canvas notes in a frame and canvas notes over a zone under the right zone', () => {
		const zoneOf = (key: string) => report.zones.find((z) => z.notes.some((n) => n.id === fixtureNoteId(key)))?.id
		expect(zoneOf('pipe')).toBe('doel')
		expect(zoneOf('formula')).toBe('verhaal') // drawn in the frame, no meta
		expect(zoneOf('dash')).toBe('kennis') // on the page, over the frame
		expect(zoneOf('at')).toBe('kennis')
		expect(zoneOf('list')).toBe('randvoorwaarden')
		expect(zoneOf('hidden')).toBeUndefined()
		expect(zoneOf('blank')).toBeUndefined()
		expect(JSON.stringify(report)).not.toContain('Verborgen')
		expect(JSON.stringify(report)).not.toContain('tekstvorm')
		expect(report.totals).toEqual({ notes: 10, votes: 16 })
	})

	it('ranks by votes after a voting round, ties sharing a rank in board order', () => {
		expect(report.rankedByVotes).toBe(true)
		const doel = report.zones.find((z) => z.id === 'doel')!
		expect(doel.notes.map((n) => [n.id, n.votes, n.rank])).toEqual([
			[fixtureNoteId('pipe'), 3, 1],
			[fixtureNoteId('quotes'), 3, 1],
			[fixtureNoteId('lines'), 1, 3],
		])
		const kennis = report.zones.find((z) => z.id === 'kennis')!
		expect(kennis.notes.map((n) => n.text)).toEqual(['@y', '-x'])
	})

	it('reads rich text into plain text with line breaks, and keeps authors', () => {
		const note = (key: string) => report.zones.flatMap((z) => z.notes).find((n) => n.id === fixtureNoteId(key))!
		expect(note('lines').text).toBe('regel één\nregel twee\n\nna een lege regel')
		expect(note('list').text).toBe('Nodig:\n• tijd\n• geld, veel')
		expect(note('pipe').author).toBe('Anna')
		expect(note('lines').author).toBeNull()
	})

	it('escapes Markdown: pipes, markup, HTML, line breaks and formula-like starts', () => {
		const md = renderMarkdown(report)
		expect(md).toContain('# Sessie \\| "Utrecht" \\*juni\\*')
		expect(md).toContain('| Alle jongeren kennen hun grenzen \\| en die van een ander | 3 | Anna |')
		expect(md).toContain('| regel één<br>regel twee<br><br>na een lege regel |')
		expect(md).toContain('| \\=SUM(A1) |')
		expect(md).toContain('| \\+31 6 12345678 |')
		expect(md).toContain('| \\-x |')
		expect(md).toContain('| \\@y |')
		expect(md).toContain(
			"\\<script\\>alert('x')\\</script\\> \\& \\*vet\\* \\_schuin\\_ \\`code\\`<br>\\# geen kop<br>1\\. geen lijst"
		)
		expect(md).not.toContain('<script>')
		// Every table row has exactly as many unescaped pipes as a 4-column row needs.
		const rows = md.split('\n').filter((line) => line.startsWith('| '))
		expect(rows.length).toBeGreaterThan(10)
		for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(5)
	})

	it('escapes CSV: one record per note, quotes doubled, line breaks kept, formulas neutralized', () => {
		const csv = renderCsv(report)
		expect(csv.startsWith('\uFEFF')).toBe(true)
		const rows = parseCsv(csv.slice(1))
		expect(rows[0]).toEqual(['Vak-id', 'Vak', 'Plaats', 'Notitie', 'Stippen', 'Auteur', 'Notitie-id', 'Thema'])
		expect(rows).toHaveLength(1 + report.totals.notes)
		for (const row of rows) expect(row).toHaveLength(8)
		const byId = new Map(rows.slice(1).map((row) => [row[6], row]))
		expect(byId.get(fixtureNoteId('formula'))![3]).toBe("'=SUM(A1)")
		expect(byId.get(fixtureNoteId('phone'))![3]).toBe("'+31 6 12345678")
		expect(byId.get(fixtureNoteId('dash'))![3]).toBe("'-x")
		expect(byId.get(fixtureNoteId('at'))![3]).toBe("'@y")
		expect(byId.get(fixtureNoteId('quotes'))![3]).toBe('Zei "ja", bedoelde \'nee\'')
		expect(byId.get(fixtureNoteId('lines'))![3]).toBe('regel één\r\nregel twee\r\n\r\nna een lege regel')
		expect(byId.get(fixtureNoteId('outside'))!.slice(0, 2)).toEqual(['', 'Overig'])
		expect(byId.get(fixtureNoteId('pipe'))!.slice(0, 6)).toEqual([
			'doel',
			'Wat wil je bereiken voor kinderen en jongeren?',
			'1',
			'Alle jongeren kennen hun grenzen | en die van een ander',
			'3',
			'Anna',
		])
	})
})

describe('report variants', () => {
	it('keeps board order and leaves authors out in an anonymous room without votes', () => {
		const report = fixtureReport({ votes: false }, { ...FIXTURE_ROOM, anonymous: true })
		expect(report.rankedByVotes).toBe(false)
		const doel = report.zones.find((z) => z.id === 'doel')!
		expect(doel.notes.map((n) => [n.id, n.rank, n.author])).toEqual([
			[fixtureNoteId('pipe'), null, null],
			[fixtureNoteId('quotes'), null, null],
			[fixtureNoteId('lines'), null, null],
		])
		const kennis = report.zones.find((z) => z.id === 'kennis')!
		expect(kennis.notes.map((n) => n.text)).toEqual(['-x', '@y'])
		const md = renderMarkdown(report)
		expect(md).toContain('| Nr. | Notitie | Stippen |\n')
		expect(md).not.toContain('Anna')
		expect(md).toContain('in de volgorde op het bord')
		const csv = parseCsv(renderCsv(report).slice(1))
		expect(csv[0][2]).toBe('Nr.')
		expect(csv.slice(1).every((row) => row[5] === '')).toBe(true)
	})

	it('ranks during a voting round even before the first vote, and writes English on request', () => {
		const report = buildReport({
			room: FIXTURE_ROOM,
			doc: buildFixtureDoc({ votes: false, phase: 'voting' }),
			now: FIXTURE_NOW,
			locale: 'en',
		})
		expect(report.rankedByVotes).toBe(true)
		expect(report.zones.at(-1)!.label).toBe('Other')
		expect(report.template.title).toBe('Theory of change')
		expect(renderMarkdown(report)).toContain('| Rank | Note | Dots | Author |')
	})

	it('reports a closed room as closed and survives a malformed record', () => {
		const doc = buildFixtureDoc()
		doc.getMap('tldraw').set('shape:broken', {
			id: 'shape:broken',
			typeName: 'shape',
			type: 'note',
			parentId: 'page:page',
			props: { text: 'kapot record' },
		})
		doc
			.getMap('tldraw')
			.set('shape:no-props', { id: 'shape:no-props', typeName: 'shape', type: 'note', parentId: 'shape:kb-zone-doel' })
		doc.getMap('tldraw').set('shape:junk', 42)
		const report = buildReport({ room: { ...FIXTURE_ROOM, closedAt: FIXTURE_NOW.getTime() }, doc, now: FIXTURE_NOW })
		expect(report.phase).toBe('closed')
		expect(report.zones.at(-1)!.notes.find((n) => n.id === 'shape:broken')?.text).toBe('kapot record')
		expect(JSON.stringify(report)).not.toContain('shape:no-props')
	})
})

describe('Word report', () => {
	it('holds the title, facts, zones in order, notes with their votes and authors, and says it has no image', async () => {
		const report = fixtureReport()
		const { paragraphs, media } = await docxParagraphs(await renderDocx(report))
		expect(media).toHaveLength(0)
		expect(paragraphs[0]).toBe(report.title)
		expect(paragraphs).toContain('Datum: 2025-06-13')
		expect(paragraphs).toContain('Werkblad: Veranderverhaal · Bouwsteen 3-A')
		expect(paragraphs.some((p) => p.includes('zonder afbeelding van het bord'))).toBe(true)
		const labels = report.zones.map((z) => z.label)
		const positions = labels.map((label) => paragraphs.indexOf(label))
		expect(positions.every((p) => p > 0)).toBe(true)
		expect([...positions].sort((a, b) => a - b)).toEqual(positions)
		for (const text of [
			'=SUM(A1)',
			'+31 6 12345678',
			'-x',
			'@y',
			'Zei "ja", bedoelde \'nee\'',
			'regel één\nregel twee\n\nna een lege regel',
			"<script>alert('x')</script> & *vet* _schuin_ `code`\n# geen kop\n1. geen lijst",
		]) {
			expect(paragraphs).toContain(text)
		}
		// A note's row: number, text, votes, author.
		const at = paragraphs.indexOf('Alle jongeren kennen hun grenzen | en die van een ander')
		expect(paragraphs.slice(at - 1, at + 3)).toEqual([
			'1',
			'Alle jongeren kennen hun grenzen | en die van een ander',
			'3',
			'Anna',
		])
		expect(paragraphs).not.toContain('Verborgen door de facilitator')
	})

	it('embeds the board image it is given', async () => {
		const png = makePng(300, 200)
		const { paragraphs, media } = await docxParagraphs(await renderDocx(fixtureReport(), { png }))
		expect(media).toHaveLength(1)
		expect(Buffer.from(media[0]).equals(png)).toBe(true)
		expect(paragraphs.some((p) => p.includes('zonder afbeelding'))).toBe(false)
	})
})

describe('export routes', () => {
	let server: InProcessServer
	let roomId: string
	let key: string
	let golden: ExportReport

	beforeAll(async () => {
		server = await startServerInProcess()
		const created = await api(server.baseUrl).createRoom(FIXTURE_TEMPLATE_ID, {
			title: FIXTURE_ROOM.title,
			anonymous: false,
		})
		roomId = created.roomId
		key = created.facilitatorKey
		await server.app.rooms.use(roomId, (room) => room.change((doc) => addFixtureContent(doc)))
		golden = fixtureReport()
	})
	afterAll(async () => {
		await server?.close()
	})

	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(`${server.baseUrl}/api/rooms/${roomId}/${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } })

	it('serves JSON, Markdown and CSV with file names, built from the live room', async () => {
		const before = reportDate(Date.now())
		const json = await get('export.json')
		expect(json.status).toBe(200)
		expect(json.headers.get('content-type')).toContain('application/json')
		const body = (await json.json()) as ExportReport
		expect([before, reportDate(Date.now())]).toContain(body.date)
		expect(json.headers.get('content-disposition')).toBe(
			`attachment; filename="kompasbord-sessie-utrecht-juni-${body.date}.json"`
		)
		expect(body.roomId).toBe(roomId)
		expect(body.title).toBe(FIXTURE_ROOM.title)
		expect(body.zones).toEqual(golden.zones)
		expect(body.totals).toEqual(golden.totals)

		const md = await get('export.md')
		expect(md.status).toBe(200)
		expect(md.headers.get('content-type')).toContain('text/markdown')
		expect(md.headers.get('content-disposition')).toContain('.md"')
		const mdText = await md.text()
		expect(mdText.slice(mdText.indexOf('\n## '))).toBe(
			renderMarkdown(golden).slice(renderMarkdown(golden).indexOf('\n## '))
		)

		const csv = await get('export.csv')
		expect(csv.status).toBe(200)
		expect(csv.headers.get('content-type')).toContain('text/csv')
		expect(new Uint8Array(await csv.arrayBuffer()).slice(0, 3)).toEqual(Uint8Array.of(0xef, 0xbb, 0xbf))
	})

	it('follows the room: a note added after the first export is in the next one', async () => {
		await server.app.rooms.use(roomId, (room) =>
			room.change((doc) => {
				const map = doc.getMap('tldraw')
				const template = map.get(fixtureNoteId('pipe')) as Record<string, unknown>
				map.set('shape:route-new', {
					...template,
					id: 'shape:route-new',
					x: 520,
					meta: { kind: 'note', zoneId: 'doel' },
				})
			})
		)
		const body = (await (await get('export.json')).json()) as ExportReport
		expect(body.zones[0].notes.map((n) => n.id)).toContain('shape:route-new')
		expect(body.totals.notes).toBe(golden.totals.notes + 1)
		await server.app.rooms.use(roomId, (room) => room.change((doc) => doc.getMap('tldraw').delete('shape:route-new')))
	})

	it('serves the Word report, without and with the board image', async () => {
		const plain = await get('export.docx')
		expect(plain.status).toBe(200)
		expect(plain.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		)
		expect(plain.headers.get('content-disposition')).toMatch(
			/filename="kompasbord-sessie-utrecht-juni-\d{4}-\d{2}-\d{2}\.docx"/
		)
		const withoutImage = await docxParagraphs(await plain.arrayBuffer())
		expect(withoutImage.media).toHaveLength(0)
		expect(withoutImage.paragraphs).toContain('=SUM(A1)')

		const png = makePng(640, 400)
		const posted = await fetch(`${server.baseUrl}/api/rooms/${roomId}/export.docx?lang=en`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'image/png' },
			body: new Uint8Array(png),
		})
		expect(posted.status).toBe(200)
		const withImage = await docxParagraphs(await posted.arrayBuffer())
		expect(withImage.media).toHaveLength(1)
		expect(Buffer.from(withImage.media[0]).equals(png)).toBe(true)
		expect(withImage.paragraphs).toContain('Other')
	})

	it('is for the facilitator only, and answers bad requests with JSON errors', async () => {
		const client = api(server.baseUrl)
		for (const format of ['json', 'md', 'csv', 'docx']) {
			const none = await client.request('GET', `/api/rooms/${roomId}/export.${format}`)
			expect(none.status).toBe(401)
			expect(none.body).toMatchObject({ error: { code: 'unauthorized' } })
			const wrong = await client.request('GET', `/api/rooms/${roomId}/export.${format}`, {
				facilitatorKey: 'not-the-key',
			})
			expect(wrong.status).toBe(403)
			expect(wrong.body).toMatchObject({ error: { code: 'forbidden' } })
		}
		const unknown = await client.request('GET', '/api/rooms/no-such-room/export.json', { facilitatorKey: key })
		expect(unknown.status).toBe(404)
		const badLang = await client.request('GET', `/api/rooms/${roomId}/export.json?lang=de`, { facilitatorKey: key })
		expect(badLang.status).toBe(400)

		const post = (body: BodyInit, headers: Record<string, string>) =>
			fetch(`${server.baseUrl}/api/rooms/${roomId}/export.docx`, { method: 'POST', headers, body })
		const anonymous = await post(new Uint8Array(makePng(10, 10)), { 'content-type': 'image/png' })
		expect(anonymous.status).toBe(401)
		const notPng = await post(new TextEncoder().encode('GIF89a not a png at all, really not'), {
			authorization: `Bearer ${key}`,
			'content-type': 'image/png',
		})
		expect(notPng.status).toBe(400)
		expect(await notPng.json()).toMatchObject({ error: { code: 'invalid_image' } })
		const json = await post(JSON.stringify({ png: 'x' }), {
			authorization: `Bearer ${key}`,
			'content-type': 'application/json',
		})
		expect(json.status).toBe(415)
		const huge = await post(new Uint8Array(25 * 1024 * 1024), {
			authorization: `Bearer ${key}`,
			'content-type': 'image/png',
		})
		expect(huge.status).toBe(413)
		expect(await huge.json()).toMatchObject({ error: { code: expect.any(String) } })
		// The server is fine afterwards.
		expect((await get('export.json')).status).toBe(200)
	})

	it('exports a room that is not loaded (no board open) from the store', async () => {
		await server.app.rooms.closeAll()
		expect(server.app.rooms.peek(roomId)).toBeUndefined()
		const body = (await (await get('export.json')).json()) as ExportReport
		expect(body.zones).toEqual(golden.zones)
	})
})
