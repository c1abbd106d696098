/**
 * Export end to end, in Chromium against the real server: the board's export menu makes a PNG (decoded here:
 * sensible size, not blank, the notes' colour where the notes are) and an SVG (holding the notes' texts, fonts
 * embedded as data URLs), of the whole board and of one zone; and the Word report with the board image in it,
 * with phone notes and a note drawn on the canvas under their zones, ranked by votes. The exported files are
 * kept in .tmp/export/ and a screenshot of the menu in docs/screenshots/, to be looked at.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import JSZip from 'jszip'
import { PNG } from 'pngjs'
import type { Browser, Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type CreatedRoom } from '../support/api'
import { boardShapes, createNoteViaUi, notesWithText, openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { repoRoot, screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'

const TITLE = 'E2E export: Veranderverhaal'
const FILE_PREFIX = 'kompasbord-e2e-export-veranderverhaal-'
const PHONE_NOTES = [
	{ zoneId: 'doel', text: 'Elke jongere kent een vertrouwenspersoon', authorName: 'Anna', votes: 3 },
	{ zoneId: 'doel', text: 'Ouders & school <samen> aan tafel', authorName: 'Bram', votes: 1 },
	{ zoneId: 'verhaal', text: '=SUM(A1) is geen formule', authorName: 'Chris', votes: 0 },
	{ zoneId: 'principes', text: 'Luisteren | niet oordelen', authorName: 'Dana', votes: 2 },
]
const CANVAS_NOTE = 'Kennis uit de jeugdmonitor'
/** Where the exported files are kept to be looked at (git-ignored: a 2× board PNG is megabytes). */
const EXPORT_DIR = path.join(repoRoot, '.tmp', 'export')

/** Waits for the download a click starts and returns it with its bytes. */
async function download(page: Page, testId: string): Promise<{ download: Download; bytes: Buffer }> {
	const [started] = await Promise.all([
		page.waitForEvent('download', { timeout: 90_000 }),
		page.getByTestId(testId).click(),
	])
	const file = await started.path()
	if (!file) throw new Error(`download of ${testId} failed: ${await started.failure()}`)
	return { download: started, bytes: readFileSync(file) }
}

/** The paragraphs of a .docx as plain text, and its embedded media. */
async function readDocx(bytes: Buffer): Promise<{ paragraphs: string[]; media: Uint8Array[] }> {
	const zip = await JSZip.loadAsync(bytes)
	const xml = await zip.file('word/document.xml')!.async('string')
	const decode = (s: string) =>
		s
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&apos;/g, "'")
			.replace(/&amp;/g, '&')
	const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
		[...p[0].matchAll(/<w:t(?: [^>]*)?>([\s\S]*?)<\/w:t>/g)].map((m) => decode(m[1])).join('')
	)
	const media: Uint8Array[] = []
	for (const name of Object.keys(zip.files).filter((n) => n.startsWith('word/media/')))
		media.push(await zip.file(name)!.async('uint8array'))
	return { paragraphs, media }
}

/** Page bounds of the board and of some shapes, as the editor has them. */
async function pageBounds(page: Page, ids: string[]) {
	return page.evaluate((shapeIds) => {
		const editor = (window as never as { __kompasbord: { editor: any } }).__kompasbord.editor
		const box = (b: { x: number; y: number; w: number; h: number } | undefined) =>
			b ? { x: b.x, y: b.y, w: b.w, h: b.h } : null
		return {
			board: box(editor.getCurrentPageBounds())!,
			shapes: shapeIds.map((id: string) => box(editor.getShapePageBounds(id))!),
		}
	}, ids)
}

function pixel(png: PNG, x: number, y: number): [number, number, number, number] {
	const i = (Math.round(y) * png.width + Math.round(x)) * 4
	return [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]]
}

describe('export from the board', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	let facilitator: UserContext
	let page: Page
	const noteIds = new Map<string, string>()

	beforeAll(async () => {
		mkdirSync(screenshotDir, { recursive: true })
		mkdirSync(EXPORT_DIR, { recursive: true })
		server = await startServerProcess()
		browser = await launchBrowser()
		const client = api(server.baseUrl)
		room = await client.createRoom('veranderverhaal', { title: TITLE, anonymous: false })
		for (const [i, note] of PHONE_NOTES.entries()) {
			const phone = await client.joinRoom(room.joinCode)
			const posted = await client.postNote(
				room.roomId,
				{
					zoneId: note.zoneId,
					text: note.text,
					clientNoteId: `e2e-note-${i}`,
					authorName: note.authorName,
					color: 'yellow',
				},
				phone.participantToken
			)
			noteIds.set(note.text, posted.noteId)
		}
		// A voting round: every participant spends their dots, then the round ends.
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		for (const note of PHONE_NOTES) {
			for (let v = 0; v < note.votes; v++) {
				await client.vote(
					room.roomId,
					{ noteId: noteIds.get(note.text)! },
					(await client.joinRoom(room.joinCode)).participantToken
				)
			}
		}
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })

		facilitator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1440, height: 900 },
			acceptDownloads: true,
		})
		page = await openBoard(facilitator, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Fien',
		})
		await waitFor(async () => (await notesWithText(page, PHONE_NOTES[0].text)).length === 1, {
			timeout: 20_000,
			message: 'phone notes on the board',
		})

		// A note drawn on the canvas with tldraw's note tool, in the "kennis" zone (brought to the middle of the
		// screen first, clear of the panels).
		const centre = await page.evaluate(() => {
			const editor = (window as never as { __kompasbord: { editor: any } }).__kompasbord.editor
			const b = editor.getShapePageBounds('shape:kb-zone-kennis')
			editor.zoomToBounds(b, { inset: 300, animation: { duration: 0 } })
			const p = editor.pageToViewport({ x: b.x + b.w / 2, y: b.y + b.h * 0.7 })
			return { x: p.x, y: p.y }
		})
		await createNoteViaUi(page, CANVAS_NOTE, centre)
		await waitFor(async () => (await notesWithText(page, CANVAS_NOTE)).length === 1, {
			timeout: 20_000,
			message: 'canvas note',
		})
		noteIds.set(CANVAS_NOTE, (await notesWithText(page, CANVAS_NOTE))[0].id)
		await page.evaluate(() => {
			const editor = (window as never as { __kompasbord: { editor: any } }).__kompasbord.editor
			editor.selectNone()
			editor.zoomToFit({ animation: { duration: 0 } })
		})
	})

	afterAll(async () => {
		await facilitator?.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	const openMenu = async () => {
		if (!(await page.getByTestId('kb-export-panel').isVisible())) await page.getByTestId('kb-export-button').click()
		await page.getByTestId('kb-export-panel').waitFor()
	}

	it('exports the whole board as a 2× PNG with background, notes where they are on the board', async () => {
		await openMenu()
		await page.getByTestId('kb-export-target').selectOption('board')
		const { download: file, bytes } = await download(page, 'kb-export-png')
		expect(file.suggestedFilename()).toMatch(new RegExp(`^${FILE_PREFIX}\\d{4}-\\d{2}-\\d{2}\\.png$`))
		await page.locator('[data-testid="kb-export-status"][data-state="done"]').waitFor()
		writeFileSync(path.join(EXPORT_DIR, 'export-board.png'), bytes)
		await page.screenshot({ path: path.join(screenshotDir, 'export-menu.png') })

		const png = PNG.sync.read(bytes)
		const ids = [...noteIds.values()]
		const { board, shapes } = await pageBounds(page, ids)
		// 2× the board plus padding, the longest side capped at 8192 px (a template board is ~7000 units wide).
		const ratio = Math.min(2, 8192 / (Math.max(board.w, board.h) + 64))
		expect(ratio).toBeLessThan(2)
		expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(8192)
		expect(png.width).toBeGreaterThan((board.w + 64) * ratio * 0.98)
		expect(png.height).toBeGreaterThan((board.h + 64) * ratio * 0.98)
		expect(png.height).toBeLessThan((board.h + 64) * ratio * 1.02)
		await expect(page.getByTestId('kb-export-status').textContent()).resolves.toContain(
			`${png.width} × ${png.height} px`
		)
		// Background included: no transparent pixels.
		let transparent = 0
		const colours = new Set<number>()
		for (let i = 0; i < png.data.length; i += 4 * 97) {
			if (png.data[i + 3] < 255) transparent++
			colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2])
		}
		expect(transparent).toBe(0)
		expect(colours.size).toBeGreaterThan(20)
		// Each note's fill shows at its place: sample just inside its top-left corner.
		for (const [i, b] of shapes.entries()) {
			const [r, g, bl] = pixel(
				png,
				(b.x - board.x + 32 + b.w * 0.08) * ratio,
				(b.y - board.y + 32 + b.h * 0.08) * ratio
			)
			expect({ note: ids[i], yellowish: r > 200 && g > 150 && bl < 160 }).toEqual({ note: ids[i], yellowish: true })
		}
	})

	it('exports the whole board as SVG holding the notes’ texts, fonts embedded, nothing from the network', async () => {
		await openMenu()
		const { download: file, bytes } = await download(page, 'kb-export-svg')
		expect(file.suggestedFilename()).toMatch(new RegExp(`^${FILE_PREFIX}\\d{4}-\\d{2}-\\d{2}\\.svg$`))
		const svg = bytes.toString('utf8')
		writeFileSync(path.join(EXPORT_DIR, 'export-board.svg'), svg)
		expect(svg.startsWith('<svg')).toBe(true)
		const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
		for (const text of [...PHONE_NOTES.map((n) => n.text), CANVAS_NOTE]) expect(svg).toContain(escapeXml(text))
		expect(svg).toContain('Wat wil je bereiken voor kinderen en jongeren?')
		expect(svg).toMatch(/@font-face\s*{[^}]*src:\s*url\("?data:/)
		const urls = [...svg.replace(/&quot;/g, '"').matchAll(/url\(\s*["']?([^"')]+)/g)].map((m) => m[1])
		expect(urls.length).toBeGreaterThan(0)
		for (const url of urls) expect(url.startsWith('data:') || url.startsWith('#')).toBe(true)
	})

	it('exports one zone: a smaller PNG named after the zone', async () => {
		await openMenu()
		await page.getByTestId('kb-export-target').selectOption('shape:kb-zone-doel')
		const { download: file, bytes } = await download(page, 'kb-export-png')
		expect(file.suggestedFilename()).toMatch(new RegExp(`^${FILE_PREFIX}doel-\\d{4}-\\d{2}-\\d{2}\\.png$`))
		writeFileSync(path.join(EXPORT_DIR, 'export-zone-doel.png'), bytes)
		const png = PNG.sync.read(bytes)
		const { board, shapes } = await pageBounds(page, ['shape:kb-zone-doel'])
		const zone = shapes[0]
		const ratio = Math.min(2, 8192 / (Math.max(zone.w, zone.h) + 64))
		// tldraw exports a lone frame at its own bounds (no padding).
		expect(png.width).toBeGreaterThan(zone.w * ratio * 0.98)
		expect(png.width).toBeLessThan((zone.w + 64) * ratio * 1.02)
		expect(png.height).toBeGreaterThan(zone.h * ratio * 0.98)
		expect(png.height).toBeLessThan((zone.h + 64) * ratio * 1.02)
		expect(zone.w * zone.h).toBeLessThan((board.w * board.h) / 4)
		await page.getByTestId('kb-export-target').selectOption('board')
	})

	it('makes the Word report with the board image, notes under their zones ranked by votes', async () => {
		await openMenu()
		const { download: file, bytes } = await download(page, 'kb-export-docx')
		expect(file.suggestedFilename()).toMatch(new RegExp(`^${FILE_PREFIX}\\d{4}-\\d{2}-\\d{2}\\.docx$`))
		writeFileSync(path.join(EXPORT_DIR, 'export-report.docx'), bytes)
		const { paragraphs, media } = await readDocx(bytes)
		expect(media).toHaveLength(1)
		const image = PNG.sync.read(Buffer.from(media[0]))
		expect(Math.max(image.width, image.height)).toBeGreaterThan(1000)
		expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(2400 + 1)
		expect(paragraphs[0]).toBe(TITLE)
		expect(paragraphs.some((p) => p.includes('zonder afbeelding'))).toBe(false)
		const doel = paragraphs.indexOf('Wat wil je bereiken voor kinderen en jongeren?')
		const verhaal = paragraphs.indexOf('Hoe gaan jullie dit bereiken? = Veranderverhaal')
		const kennis = paragraphs.indexOf('Kennis over wat werkt')
		const principes = paragraphs.indexOf('Leidende principes & waarden')
		expect(doel).toBeGreaterThan(0)
		expect(verhaal).toBeGreaterThan(doel)
		expect(kennis).toBeGreaterThan(verhaal)
		expect(principes).toBeGreaterThan(kennis)
		// Ranked: most votes first, with votes and author beside each note.
		const first = paragraphs.indexOf(PHONE_NOTES[0].text)
		expect(paragraphs.slice(first - 1, first + 3)).toEqual(['1', PHONE_NOTES[0].text, '3', 'Anna'])
		expect(paragraphs.indexOf(PHONE_NOTES[1].text)).toBeGreaterThan(first)
		expect(paragraphs.indexOf(PHONE_NOTES[1].text)).toBeLessThan(verhaal)
		const canvas = paragraphs.indexOf(CANVAS_NOTE)
		expect(canvas).toBeGreaterThan(kennis)
		expect(canvas).toBeLessThan(principes)
		expect(paragraphs.indexOf(PHONE_NOTES[3].text)).toBeGreaterThan(principes)
	})

	it('downloads the Markdown report with escaped notes', async () => {
		await openMenu()
		const { download: file, bytes } = await download(page, 'kb-export-md')
		expect(file.suggestedFilename()).toMatch(new RegExp(`^${FILE_PREFIX}\\d{4}-\\d{2}-\\d{2}\\.md$`))
		const md = bytes.toString('utf8')
		expect(md).toContain(`# ${TITLE}`)
		expect(md).toContain('| 1 | Luisteren \\| niet oordelen | 2 | Dana |')
		expect(md).toContain('\\=SUM(A1) is geen formule')
		expect(md).toContain(CANVAS_NOTE)
	})

	it('offers participants the board image but not the reports, and nothing left the server', async () => {
		const participant = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1280, height: 800 },
		})
		try {
			const other = await openBoard(participant, server.baseUrl, room.roomId, { name: 'Gijs', joinCode: room.joinCode })
			await other.getByTestId('kb-export-button').click()
			await other.getByTestId('kb-export-png').waitFor()
			expect(await other.getByTestId('kb-export-docx').count()).toBe(0)
			expect(participant.foreignRequests()).toEqual([])
		} finally {
			await participant.close()
		}
		expect(facilitator.foreignRequests()).toEqual([])
		expect(facilitator.pageErrors()).toEqual([])
		expect((await boardShapes(page)).filter((s) => s.type === 'note')).toHaveLength(PHONE_NOTES.length + 1)
	})

	// Last: it adds notes to the board.
	it('makes the same SVG and the same PNG pixels as tldraw’s own pipeline, faster (style-read cache, style classes, shadow rects)', async () => {
		// Beside the notes already there: right-to-left text (a dir="auto" paragraph takes its direction from its
		// text), bold and a second paragraph, other colours and sizes.
		await page.evaluate(() => {
			const editor = (window as never as { __kompasbord: { editor: any } }).__kompasbord.editor
			const paragraph = (text: string, marks?: { type: string }[]) => ({
				type: 'paragraph',
				content: [{ type: 'text', text, ...(marks ? { marks } : {}) }],
			})
			const notes = [
				{ color: 'light-blue', content: [paragraph('مرحبا بالجميع في الورشة')], scale: 0.5 },
				{ color: 'light-blue', content: [paragraph('Elke school een aanspreekpunt')], scale: 0.5 },
				{
					color: 'orange',
					content: [paragraph('Vet', [{ type: 'bold' }]), paragraph('en een tweede regel')],
					scale: 1,
				},
				{ color: 'violet', content: [paragraph('שלום לכולם')], scale: 0.75 },
			]
			editor.createShapes(
				notes.map((note, i) => ({
					type: 'note',
					x: 200 + i * 260,
					y: -600,
					props: { color: note.color, scale: note.scale, richText: { type: 'doc', content: note.content } },
				}))
			)
		})
		const compared = await page.evaluate(async () => {
			const handle = (
				window as never as {
					__kompasbord: {
						renderImage(options: object): Promise<{ blob: Blob; styleReads: { hits: number; misses: number } | null }>
					}
				}
			).__kompasbord
			// The export's own ids (React's, tldraw's counters) differ from one export to the next.
			const normalise = (svg: string) => svg.replace(/_?export_\d+_(r_\w+?_)?/g, 'ID').replace(/pseudo-[\w-]+/g, 'P')
			const svg = async (cache: boolean) => {
				const image = await handle.renderImage({ format: 'svg', target: { kind: 'board' }, styleReadCache: cache })
				return { text: normalise(await image.blob.text()), reads: image.styleReads }
			}
			const maxSide = 3000
			const pixelsOf = async (blob: Blob) => {
				const bitmap = await createImageBitmap(blob)
				const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
				const context = canvas.getContext('2d')!
				context.drawImage(bitmap, 0, 0)
				return {
					data: context.getImageData(0, 0, bitmap.width, bitmap.height).data,
					size: `${bitmap.width}×${bitmap.height}`,
				}
			}
			// tldraw's own pipeline: its SVG with inline styles and its note shadow filters, drawn by its toImage.
			const tldrawPng = async () => {
				const editor = (window as never as { __kompasbord: { editor: any } }).__kompasbord.editor
				const ids = editor.getSortedChildIdsForParent(editor.getCurrentPageId())
				const bounds = editor.getCurrentPageBounds()
				const pixelRatio = Math.min(2, maxSide / (Math.max(bounds.w, bounds.h) + 64))
				const image = await editor.toImage(ids, {
					format: 'png',
					pixelRatio,
					background: true,
					darkMode: false,
					padding: 32,
				})
				return pixelsOf(image.blob)
			}
			const ours = async (shadowRects: boolean) => {
				const image = await handle.renderImage({
					format: 'png',
					target: { kind: 'board' },
					maxSide,
					noteShadowRects: shadowRects,
				})
				return { ...(await pixelsOf(image.blob)), reads: image.styleReads }
			}
			const difference = (a: Uint8ClampedArray, b: Uint8ClampedArray) => {
				let pixels = 0
				let most = 0
				for (let i = 0; i < a.length; i++) {
					const d = Math.abs(a[i] - b[i])
					if (d > 0) pixels++
					if (d > most) most = d
				}
				return { values: pixels, most }
			}
			const [plainSvg, cachedSvg] = [await svg(false), await svg(true)]
			const [reference, filters, rects] = [await tldrawPng(), await ours(false), await ours(true)]
			return {
				svgSame: plainSvg.text === cachedSvg.text,
				svgLength: cachedSvg.text.length,
				hasRtlText: cachedSvg.text.includes('שלום') && cachedSvg.text.includes('مرحبا'),
				svgReads: cachedSvg.reads,
				plainReads: plainSvg.reads,
				pngSame: reference.size === filters.size && difference(reference.data, filters.data).values === 0,
				pngReads: filters.reads,
				sizes: [reference.size, filters.size, rects.size],
				shadowDifference: difference(reference.data, rects.data),
			}
		})
		expect(compared.hasRtlText).toBe(true)
		expect(compared.plainReads).toBeNull()
		// The cache answered reads (elements alike), and the result is the same.
		expect(compared.svgReads!.hits).toBeGreaterThan(0)
		expect(compared.svgSame).toBe(true)
		expect(compared.pngReads!.hits).toBeGreaterThan(0)
		expect(compared.pngSame).toBe(true)
		// The notes' shadows as blurred rects (note-shadows.ts): the same picture but for a few levels in a row of
		// pixels at a note's edge (a note without its shadow differs by ~60 there).
		expect(compared.sizes[2]).toBe(compared.sizes[0])
		expect(compared.shadowDifference.values).toBeGreaterThan(0) // drawn the new way
		expect(compared.shadowDifference.most).toBeLessThanOrEqual(24)
		expect(facilitator.pageErrors()).toEqual([])
	})
})
