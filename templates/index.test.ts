import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTLSchema, type TLRecord, type TLShape } from '@tldraw/tlschema'
import {
	createBoardRecords,
	layoutBoard,
	DEFAULT_NOTE_SIZING,
	fitZoom,
	NOTE_SIZE,
	noteScaleSteps,
	placeNote,
	READABLE_PX,
	resolveTemplateZones,
	SCORE_BAND_HEIGHT,
	templatePreviewSvg,
	templateProblems,
	TemplateError,
	zoneFrameId,
	zoneFrames,
	type BoardLayout,
	type Template,
} from '@kompasbord/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { getTemplate, listTemplates, loadTemplates, resolveZones, templateSummaries, TEMPLATES_DIR } from './index'

const schema = createTLSchema()
const templates = listTemplates()
const ROWS = ['veranderverhaal', 'preventie', 'basis', 'eerstelijn', 'intensief']

/** Zone ids per template, as the README lists them, plus the worksheets' follow-up steps. */
function expectedZoneIds(id: string, columns: number): string[] {
	const n = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`)
	switch (id) {
		case 'veranderverhaal':
			return ['doel', 'verhaal', 'kennis', 'principes', 'randvoorwaarden', 'anders', ...n('ordenen-', 4)]
		case 'activiteitenmatrix':
			return ['ambitie', ...n('resultaat-', columns), ...ROWS.flatMap((r) => n(`${r}:`, columns)), ...n('analyse-', 4)]
		case 'dos-en-donts':
			return ['dos', 'waarden', 'donts', 'verwachtingen', 'afspraken', 'momenten']
		case 'herkennen-begrijpen-waarderen-verbeteren':
			return ['al-gedaan', 'herkennen', 'begrijpen', 'waarderen', 'verbeteren']
		case 'blanco':
			return ['notities']
		case 'ambities':
			return ['vragen', 'ambities']
		case 'resultaten-en-indicatoren':
			return ['ambitie', 'resultaten', 'indicatoren', 'doelgroepen', 'keuzes']
		case 'zorgen-en-kansen':
			return [
				'landelijk',
				'lokaal',
				'partners',
				'gesprekspartners',
				'signalen',
				'herkennen',
				'verklaren',
				'waarderen',
				'zorgen',
				'kansen',
			]
		case 'gezamenlijk-vraagstuk':
			return ['vraagstuk', 'samenwerkingen', 'partijen', 'opvalt', 'kwesties', 'waarom', 'randvoorwaarden']
		case 'samenwerkingspartners':
			return [
				...['basis', 'ondersteuning', 'intensief'].flatMap((level) =>
					['onderwijs', 'welzijn', 'zorg', 'wonen', 'veiligheid'].map((domain) => `${domain}-${level}`)
				),
				'betrekken',
			]
		case 'samenwerking-organiseren':
			return [
				'vraagstuk',
				'regie',
				'mensen',
				'organisatie',
				'besluitvorming',
				'voortgang',
				'aangehaakt',
				'elkaar-opzoeken',
				'ouders-jongeren',
				'verankeren',
				'werkwijzen',
			]
		case 'samenwerking-in-gesprek':
			return ['reflectie', 'vraagstuk', 'belangen', 'relatie', 'organisatie', 'proces', 'acties']
		case 'staat-van-de-jeugd':
			return ['afspraken', 'herkennen', 'verklaren', 'bijstellen', 'acties']
		case 'kwaliteit':
			return [
				'rol-praktijk',
				'rol-beleid',
				'deskundigheid',
				'onderbouwing',
				'faciliteren',
				'meten',
				'kaders',
				'samenwerken',
				'acties-praktijk',
				'acties-beleid',
			]
		case 'opbrengst-activiteit':
			return ['doel', 'bijdrage', 'acties', 'professional', 'organisatie', 'gegevens', 'frequentie', 'verantwoordelijk']
		case 'samen-sturen':
			return ['beleid', 'beleid-en-uitvoering', 'uitvoering']
		case 'monitoring':
			return ['informatie', 'indicatoren', 'frequentie', 'verantwoordelijk']
		default:
			throw new Error(`no expectation for template ${id}`)
	}
}

/** Every column count a template can be created with (one `undefined` for templates without matrix). */
function columnCounts(t: Template): (number | undefined)[] {
	const c = t.matrix?.columns
	if (!c) return [undefined]
	return Array.from({ length: c.max - c.min + 1 }, (_, i) => c.min + i)
}

type Rect = { x: number; y: number; w: number; h: number }
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
const inside = (a: Rect, b: Rect) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h

/** Zoom of tldraw's zoom-to-fit on a 1920 × 1080 projector. */
function fitZoomOf(layout: BoardLayout): number {
	return fitZoom(layout.bounds)
}

/** tldraw draws a frame's heading above the frame, 28 screen px tall whatever the zoom. */
const FRAME_HEADING_PX = 28
/** The width of a zone frame's heading: a grip, not its name (see client/src/board/board.css). */
const GRIP_PX = 40

describe('template data files', () => {
	it('are the worksheet templates in compass order, each valid against the schema', () => {
		expect(templates.map((t) => t.id)).toEqual([
			'gezamenlijk-vraagstuk',
			'samenwerkingspartners',
			'samenwerking-organiseren',
			'samenwerking-in-gesprek',
			'zorgen-en-kansen',
			'ambities',
			'staat-van-de-jeugd',
			'resultaten-en-indicatoren',
			'monitoring',
			'veranderverhaal',
			'activiteitenmatrix',
			'kwaliteit',
			'opbrengst-activiteit',
			'dos-en-donts',
			'herkennen-begrijpen-waarderen-verbeteren',
			'samen-sturen',
			'blanco',
		])
		for (const t of templates) {
			const raw = JSON.parse(readFileSync(join(TEMPLATES_DIR, `${t.id}.json`), 'utf8'))
			expect(templateProblems(raw), t.id).toEqual([])
		}
		expect(templates.map((t) => t.bouwsteen)).toEqual([
			'0-A',
			'0-A',
			'0-B',
			'0',
			'1-A',
			'1-B',
			'1',
			'2',
			'3-A',
			'3-A',
			'3-B',
			'4',
			'5',
			'6',
			'6',
			'6',
			null,
		])
	})

	it('have exactly the zone ids of the design, in worksheet order, for every column count', () => {
		for (const t of templates) {
			for (const columns of columnCounts(t)) {
				expect(
					resolveTemplateZones(t, { columns }).map((z) => z.id),
					`${t.id} × ${columns}`
				).toEqual(expectedZoneIds(t.id, columns ?? 0))
			}
		}
		expect(getTemplate('activiteitenmatrix')!.matrix!.columns).toMatchObject({ min: 1, max: 4, default: 4 })
	})

	it('carry the design’s labels where it quotes them', () => {
		const label = (template: string, zone: string) => resolveZones(template)!.find((z) => z.id === zone)!.label.nl
		expect(label('veranderverhaal', 'doel')).toBe('Wat wil je bereiken voor kinderen en jongeren?')
		expect(label('veranderverhaal', 'verhaal')).toBe('Hoe gaan jullie dit bereiken? = Veranderverhaal')
		expect(label('veranderverhaal', 'kennis')).toBe('Kennis over wat werkt')
		expect(label('veranderverhaal', 'principes')).toBe('Leidende principes & waarden')
		expect(label('veranderverhaal', 'randvoorwaarden')).toBe('Randvoorwaarden')
		expect(label('veranderverhaal', 'anders')).toBe('Anders, namelijk…')
		// Bouwsteen 6: each of the four topics with its own question, as the worksheet words it.
		const question = (template: string, zone: string) =>
			resolveZones(template)!.find((z) => z.id === zone)!.question?.nl
		expect([label('dos-en-donts', 'dos'), question('dos-en-donts', 'dos')]).toEqual([
			"Do's",
			'Wat moeten we vooral wel doen?',
		])
		expect([label('dos-en-donts', 'waarden'), question('dos-en-donts', 'waarden')]).toEqual([
			'Waarden',
			'Welke waarden vinden we belangrijk?',
		])
		expect([label('dos-en-donts', 'donts'), question('dos-en-donts', 'donts')]).toEqual([
			"Don'ts",
			'Wat moeten we vooral niet doen?',
		])
		expect([label('dos-en-donts', 'verwachtingen'), question('dos-en-donts', 'verwachtingen')]).toEqual([
			'Verwachtingen',
			'Welke verwachtingen hebben we?',
		])
		expect(label('dos-en-donts', 'afspraken')).toBe('Welke afspraken maken we naar aanleiding hiervan?')
		expect(label('dos-en-donts', 'momenten')).toBe('Organiseren van momenten om samen te leren en te verbeteren')
		expect(question('dos-en-donts', 'momenten')!.split('\n')).toEqual([
			'Hoe zorgen we ervoor dat we regelmatig het gesprek over de voortgang voeren? Kunnen we dit koppelen aan reeds geplande periodieke overleggen?',
			'Welke afspraken maken we daar nu over? Wat is het eerstvolgende moment?',
			'Wie zijn daarbij aanwezig? Wie leveren de gegevens/input voor dit gesprek?',
		])
		// The worksheet's 2 × 2: Do's | Waarden over Don'ts | Verwachtingen.
		const dz = new Map(resolveZones('dos-en-donts')!.map((z) => [z.id, z]))
		expect(dz.get('dos')!.y).toBe(dz.get('waarden')!.y)
		expect(dz.get('dos')!.x).toBeLessThan(dz.get('waarden')!.x)
		expect(dz.get('donts')!.y).toBeGreaterThan(dz.get('dos')!.y)
		expect(dz.get('donts')!.x).toBe(dz.get('dos')!.x)
		expect(dz.get('verwachtingen')!.x).toBe(dz.get('waarden')!.x)
		// 3-B: the ambition's own action question is a question, not a hint.
		expect(question('activiteitenmatrix', 'analyse-4')).toContain(
			'Welke acties volgen er uit deze analyse? En wie pakt die op?'
		)
		// Bouwsteen 0, leren en verbeteren: the five parts with the worksheet's questions, and its tip as a score round.
		const parts = ['vraagstuk', 'belangen', 'relatie', 'organisatie', 'proces']
		expect(parts.map((id) => [label('samenwerking-in-gesprek', id), question('samenwerking-in-gesprek', id)])).toEqual([
			['Gezamenlijk vraagstuk', 'Zitten we (nog) allemaal op één lijn? Vraagt het gezamenlijke vraagstuk bijstelling?'],
			[
				'Belangen',
				'Hebben we zicht op elkaars belangen? Kan iedereen voldoende bijdragen? Haalt iedereen er voldoende uit?',
			],
			['Relatie', 'Draagt wat we doen bij aan onderling vertrouwen? Hoe gaan we om met conflicten?'],
			[
				'Organisatie',
				'Hebben we de organisatie goed belegd? Draagt deze bij aan de opgave? Is het mandaat goed geregeld?',
			],
			[
				'Proces',
				'Evalueren we de voortgang? En de samenwerking? Zijn de rolverdeling en het proces voldoende duidelijk?',
			],
		])
		expect(label('samenwerking-in-gesprek', 'acties')).toBe(
			'Welke acties komen er uit de tussenevaluatie van de samenwerking?'
		)
		expect(label('samenwerking-in-gesprek', 'reflectie')).toBe('Hoe reflecteren we regelmatig op de samenwerking?')
		const gesprek = getTemplate('samenwerking-in-gesprek')!
		expect(gesprek.scoreRound).toEqual({ parts, min: 1, max: 10 })
		expect(gesprek.cards!.find((c) => c.id === 'tip')!.body.nl).toBe(
			'Tip: Geef de verschillende onderdelen een cijfer. Bespreek met elkaar de verschillen en wat er nodig is om een hoger cijfer te halen.'
		)
		const matrix = getTemplate('activiteitenmatrix')!
		expect(matrix.sections!.length).toBe(1)
		const cards = (id: string) => getTemplate(id)!.cards ?? []
		expect(cards('veranderverhaal').map((c) => c.title?.nl)).toEqual(
			expect.arrayContaining(['Kennis over wat werkt', 'Resultaat', 'Belangrijke vragen vooraf'])
		)
		expect(cards('veranderverhaal').find((c) => c.id === 'resultaat')!.body.nl).toContain(
			'We hebben de samenhang expliciet gemaakt tussen datgene waarop we willen inzetten'
		)
		const quadrants = resolveZones('activiteitenmatrix')!.filter((z) => z.id.startsWith('analyse-'))
		expect(quadrants.map((z) => z.label.nl)).toEqual([
			'1. Ontbreekt er inzet op het beoogde resultaat?',
			'2. Is de inzet divers genoeg?',
			'3. Zijn er nieuwe activiteiten of interventies nodig?',
			'4. Wat betekent dit voor onze inzet? Wat vraagt actie?',
		])
		expect(matrix.matrix!.rows.find((r) => r.id === 'basis')!.footnote?.nl).toMatch(/^Bij activiteiten in de basis/)
		const v = getTemplate('veranderverhaal')!
		expect(v.sections!.map((s) => s.title.nl)).toEqual(['Gezamenlijk ordenen en prioriteren'])
		expect(v.arrows!.map((a) => `${a.from}>${a.to}`).sort()).toEqual([
			'anders>verhaal',
			'kennis>verhaal',
			'principes>verhaal',
			'randvoorwaarden>verhaal',
		])
		const card = v.cards!.find((c) => c.id === 'kennis-over-wat-werkt')!
		// The six elements, each with the explanation the worksheet gives under it.
		const elements = card.body.nl.split('\n').filter((l) => l.startsWith('• '))
		expect(elements).toHaveLength(6)
		for (const element of elements) expect(element.split('. ').length, element).toBeGreaterThanOrEqual(2)
		expect(elements[5]).toMatch(/^• Betrek mannen\. Het tegengaan van seksueel grensoverschrijdend gedrag/)
		expect(card.body.en.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(6)
	})

	it('have every text in Dutch and English, none empty, none left as a placeholder', () => {
		for (const t of templates) {
			let pairs = 0
			const walk = (value: unknown, path: string): void => {
				if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}/${i}`))
				if (!value || typeof value !== 'object') return
				const keys = Object.keys(value).sort()
				if (keys.join() === 'en,nl') {
					pairs++
					for (const locale of ['nl', 'en'] as const) {
						const text = (value as Record<string, string>)[locale]
						expect(text.trim(), `${t.id}${path}/${locale}`).not.toBe('')
						expect(text, `${t.id}${path}/${locale}`).not.toMatch(/TODO|lorem|xxx/i)
					}
					return
				}
				for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`)
			}
			walk(t, '')
			expect(pairs, t.id).toBeGreaterThanOrEqual(5)
			// Every zone of every size is worded in both languages, and the translation is not a copy.
			for (const z of resolveTemplateZones(t)) {
				if (z.question) expect(z.question.en, `${t.id}/${z.id}`).not.toBe(z.question.nl)
				expect(z.label.en === z.label.nl && !/^(Do|Don)/.test(z.label.nl), `${t.id}/${z.id} label`).toBe(false)
			}
		}
	})
})

describe('template layouts', () => {
	for (const t of templates) {
		for (const columns of columnCounts(t)) {
			const name = `${t.id}${columns ? ` with ${columns} columns` : ''}`
			const layout = layoutBoard(t, { columns })

			it(`${name}: no two frames overlap, and no frame overlaps a title, card or row header`, () => {
				const zones = layout.zones
				for (let i = 0; i < zones.length; i++) {
					for (let j = i + 1; j < zones.length; j++) {
						expect(overlaps(zones[i], zones[j]), `${zones[i].id} × ${zones[j].id}`).toBe(false)
					}
				}
				const others: (Rect & { id: string })[] = [
					...layout.texts.map((x) => ({ ...x, id: `text ${x.id}` })),
					...layout.boxes.map((b) => ({ ...b, id: `${b.kind} ${b.id}` })),
					...layout.sections.map((s) => ({ x: s.x, y: s.y, w: s.w, h: s.headerHeight, id: `header of ${s.id}` })),
				]
				for (let i = 0; i < others.length; i++) {
					for (const z of zones) expect(overlaps(others[i], z), `${others[i].id} × ${z.id}`).toBe(false)
					for (const o of others.slice(i + 1)) expect(overlaps(others[i], o), `${others[i].id} × ${o.id}`).toBe(false)
				}
				// A zone, card or text is either entirely inside a section panel or entirely outside it.
				for (const s of layout.sections) {
					for (const r of [...zones, ...others.filter((o) => !o.id.startsWith('header'))]) {
						if (overlaps(r, s)) expect(inside(r, s), `${'id' in r ? r.id : ''} in ${s.id}`).toBe(true)
					}
				}
			})

			it(`${name}: the band under each scored zone, where the board draws its spread, is free`, () => {
				const byId = new Map(layout.zones.map((z) => [z.id, z]))
				for (const part of t.scoreRound?.parts ?? []) {
					const z = byId.get(part)!
					const band = { x: z.x, y: z.y + z.h, w: z.w, h: SCORE_BAND_HEIGHT }
					for (const r of [...layout.zones, ...layout.boxes, ...layout.texts]) {
						expect(overlaps(band, r), `band of ${part} × ${'id' in r ? r.id : ''}`).toBe(false)
					}
					for (const s of layout.sections) if (overlaps(z, s)) expect(inside(band, s), `band of ${part}`).toBe(true)
				}
			})

			it(`${name}: frame headings have room above each frame at zoom-to-fit`, () => {
				const clearance = FRAME_HEADING_PX / fitZoomOf(layout)
				// The grip must not cover another zone or a card; a panel's text beside it may show under it.
				const blocks: (Rect & { id: string })[] = [...layout.zones, ...layout.boxes]
				// The heading is a small grip (the zone's name shows once, inside the frame); matrix cells sit in a
				// grid whose row and column headers say what they are, so their grips may lie on the cell above.
				for (const z of layout.zones) {
					if (z.kind === 'cell') continue
					const heading = { x: z.x, y: z.y - clearance, w: Math.min(z.w, GRIP_PX / fitZoomOf(layout)), h: clearance }
					for (const b of blocks) {
						if (b.id !== z.id) expect(overlaps(heading, b), `heading of ${z.id} × ${b.id}`).toBe(false)
					}
				}
			})

			it(`${name}: header texts fit in each frame, which holds a row of notes and 20 within its growth`, () => {
				const sizing = t.notes ?? DEFAULT_NOTE_SIZING
				for (const z of layout.zones) {
					for (const part of z.texts) {
						expect(part.text.y + part.text.h, `${z.id} ${part.part}`).toBeLessThanOrEqual(z.headerHeight)
						expect(part.text.x + part.text.w).toBeLessThanOrEqual(z.w)
					}
					const options = {
						topInset: z.headerHeight,
						scales: noteScaleSteps(sizing.scale, sizing.minScale),
						growLimitH: z.h * sizing.growth,
					}
					const first = placeNote(z, [], { w: NOTE_SIZE, h: NOTE_SIZE }, options)
					expect(first.growTo, `${z.id}: the first note needs the zone to grow`).toBeUndefined()
					expect(first.scale).toBe(sizing.scale)
					const placed: Rect[] = []
					let zone = { w: z.w, h: z.h }
					for (let i = 0; i < 20; i++) {
						const r = placeNote(zone, placed, { w: NOTE_SIZE, h: NOTE_SIZE }, options)
						expect(r.scale, `${z.id}: note ${i + 1}`).toBeGreaterThanOrEqual(sizing.minScale)
						if (r.growTo) zone = r.growTo
						placed.push({ x: r.x, y: r.y, w: NOTE_SIZE * r.scale, h: NOTE_SIZE * r.scale })
					}
				}
				for (const b of layout.boxes) expect(b.contentHeight, `${b.kind} ${b.id}`).toBeLessThanOrEqual(b.h)
				for (const s of layout.sections) expect(s.headerHeight).toBeLessThan(s.h)
			})

			it(`${name}: arrows run between their zones without crossing anything else`, () => {
				const byId = new Map(layout.zones.map((z) => [z.id, z]))
				for (const a of layout.arrows) {
					const from = byId.get(a.from)!
					const to = byId.get(a.to)!
					const steps = 50
					for (let i = 0; i <= steps; i++) {
						const p = {
							x: a.start.x + ((a.end.x - a.start.x) * i) / steps,
							y: a.start.y + ((a.end.y - a.start.y) * i) / steps,
							w: 0.001,
							h: 0.001,
						}
						for (const r of [...layout.zones, ...layout.boxes, ...layout.texts]) {
							expect(overlaps(p, r), `arrow ${a.id} crosses ${'id' in r ? r.id : ''}`).toBe(false)
						}
					}
					const gap = (r: Rect, p: { x: number; y: number }) =>
						Math.hypot(Math.max(r.x - p.x, 0, p.x - r.x - r.w), Math.max(r.y - p.y, 0, p.y - r.y - r.h))
					expect(gap(from, a.start)).toBeLessThan(100)
					expect(gap(to, a.end)).toBeLessThan(100)
				}
			})

			it(`${name}: reads on a 1920 × 1080 projector at zoom-to-fit`, () => {
				const zoom = fitZoomOf(layout)
				// 5 % above the minimum: tldraw's own bounds may come out a little larger than the estimate.
				expect(t.typography.label * zoom, 'zone labels (px on screen)').toBeGreaterThanOrEqual(READABLE_PX.label * 1.03)
				expect((t.matrix?.rowLabelSize ?? t.typography.label) * zoom, 'row headers').toBeGreaterThanOrEqual(
					READABLE_PX.label * 1.03
				)
				expect(t.typography.title * zoom, 'titles').toBeGreaterThanOrEqual(READABLE_PX.label)
				expect(t.typography.question * zoom, 'questions').toBeGreaterThanOrEqual(READABLE_PX.question * 1.03)
				expect(t.typography.hint * zoom, 'hints').toBeGreaterThanOrEqual(9)
				const ratio = layout.bounds.w / layout.bounds.h
				expect(ratio).toBeGreaterThan(1.2)
				expect(ratio).toBeLessThan(2.4)
			})
		}
	}
})

describe('board records of every template', () => {
	const validate = (r: TLRecord) => schema.types[r.typeName as keyof typeof schema.types].validate(r)

	it('pass tldraw validation in both locales and every column count, with one frame per zone', () => {
		for (const t of templates) {
			for (const columns of columnCounts(t)) {
				for (const locale of ['nl', 'en'] as const) {
					const records = createBoardRecords(t, { columns, locale })
					for (const r of records) expect(() => validate(r), `${t.id} ${r.id}`).not.toThrow()
					const zones = resolveZones(t.id, { columns })!
					const frames = records.filter((r): r is TLShape => r.typeName === 'shape' && r.type === 'frame')
					expect(frames).toHaveLength(zones.length)
					for (const z of zones) {
						expect(
							frames.filter((f) => f.meta.zoneId === z.id),
							`${t.id} ${z.id}`
						).toHaveLength(1)
						expect(frames.find((f) => f.meta.zoneId === z.id)!.id).toBe(zoneFrameId(z.id))
					}
					expect([...zoneFrames(records).keys()].sort()).toEqual(zones.map((z) => z.id).sort())
				}
			}
		}
	})

	it('are deterministic: the same ids and records on every call, the same ids in both locales', () => {
		for (const t of templates) {
			const a = createBoardRecords(t)
			expect(createBoardRecords(t)).toEqual(a)
			const ids = a.map((r) => r.id)
			expect(new Set(ids).size).toBe(ids.length)
			expect(createBoardRecords(t, { locale: 'en' }).map((r) => r.id)).toEqual(ids)
		}
	})
})

describe('templates/index', () => {
	it('templateSummaries answers GET /api/templates', () => {
		const summaries = templateSummaries()
		expect(summaries.map((s) => s.id)).toEqual(templates.map((t) => t.id))
		for (const s of summaries) {
			expect(Object.keys(s).sort()).toEqual(
				s.id === 'activiteitenmatrix'
					? ['bouwsteen', 'columns', 'id', 'preview', 'title', 'zones']
					: ['bouwsteen', 'id', 'preview', 'title', 'zones']
			)
			for (const z of s.zones) expect(Object.keys(z).sort()).toEqual(['id', 'label'])
			// The picker draws the summary's preview: one zone rectangle per listed zone.
			const svg = templatePreviewSvg(s)
			expect(svg).toBe(s.preview)
			expect(svg.match(/<rect data-zone="/g)).toHaveLength(s.zones.length)
			expect(svg.length).toBeLessThan(20_000)
		}
		const matrix = summaries.find((s) => s.id === 'activiteitenmatrix')!
		expect(matrix.columns).toEqual({ min: 1, max: 4, default: 4 })
		expect(matrix.zones.map((z) => z.id)).toEqual(expectedZoneIds('activiteitenmatrix', 4))
		expect(summaries.find((s) => s.id === 'blanco')).toEqual({
			id: 'blanco',
			title: { nl: 'Blanco bord', en: 'Blank board' },
			bouwsteen: null,
			zones: [{ id: 'notities', label: { nl: 'Notities', en: 'Notes' } }],
			preview: expect.stringMatching(/^<svg /),
		})
		expect(JSON.parse(JSON.stringify(summaries))).toEqual(summaries)
	})

	it('resolveZones and getTemplate find templates by id', () => {
		expect(getTemplate('blanco')?.id).toBe('blanco')
		expect(getTemplate('bestaat-niet')).toBeUndefined()
		expect(resolveZones('bestaat-niet')).toBeUndefined()
		expect(resolveZones('activiteitenmatrix', { columns: 2 })!.map((z) => z.id)).toEqual(
			expectedZoneIds('activiteitenmatrix', 2)
		)
		expect(() => resolveZones('activiteitenmatrix', { columns: 5 })).toThrow(RangeError)
	})

	describe('loadTemplates', () => {
		const dir = mkdtempSync(join(tmpdir(), 'kb-templates-'))
		afterAll(() => rmSync(dir, { recursive: true, force: true }))
		const blanco = readFileSync(join(TEMPLATES_DIR, 'blanco.json'), 'utf8')

		it('discovers every data file, ignoring package.json', () => {
			writeFileSync(join(dir, 'package.json'), '{"name":"x"}')
			writeFileSync(join(dir, 'blanco.json'), blanco)
			const copy = { ...JSON.parse(blanco), id: 'nog-een', bouwsteen: '1-A' }
			writeFileSync(join(dir, 'nog-een.json'), JSON.stringify(copy))
			expect(loadTemplates(dir).map((t) => t.id)).toEqual(['nog-een', 'blanco'])
		})

		it('names the file of invalid data, a wrong id or broken JSON', () => {
			writeFileSync(join(dir, 'kapot.json'), '{ "id": ')
			expect(() => loadTemplates(dir)).toThrow(/kapot\.json[\s\S]*not valid JSON/)
			writeFileSync(join(dir, 'kapot.json'), JSON.stringify({ ...JSON.parse(blanco), id: 'kapot', zones: 'geen' }))
			expect(() => loadTemplates(dir)).toThrow(TemplateError)
			writeFileSync(join(dir, 'kapot.json'), blanco)
			expect(() => loadTemplates(dir)).toThrow(/"blanco" does not match the file name/)
		})
	})
})
