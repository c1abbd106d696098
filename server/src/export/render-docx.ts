import {
	AlignmentType,
	Document,
	Footer,
	HeadingLevel,
	ImageRun,
	Packer,
	Paragraph,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
} from 'docx'
import { readPngSize } from './png-info'
import { noteNumber, type ExportReport, type ReportZone } from './report-model'
import { REPORT_STRINGS, scoreLine, templateLine, type ReportStrings } from './report-strings'
import type { TrajectReport } from './render-traject'

/** A board image to put in the Word report. */
export interface BoardImage {
	/** PNG file bytes. */
	png: Uint8Array
}

/** Width of the text area of an A4 page with docx's default 1-inch margins, in px at 96 dpi. */
const TEXT_WIDTH_PX = 600
/** Tallest the board image may be, in px at 96 dpi, so it fits on the first page with the title. */
const MAX_IMAGE_HEIGHT_PX = 760
/** Table column widths in percent: number, note, votes[, author]. */
const COLUMNS_WITH_AUTHOR = [11, 55, 15, 19]
const COLUMNS_WITHOUT_AUTHOR = [11, 74, 15]
/** Kompasbord blue, for the title and zone headings. */
const ACCENT = '1D4E89'
/** A sans font every Word and LibreOffice has (or substitutes metrically). */
const FONT = 'Calibri'
/** Word's spacing unit: twentieths of a point. */
const PT = 20

/** Runs of a multi-line text: one run per line, each after the first starting on a new line. */
function textRuns(text: string, options: { bold?: boolean; italics?: boolean } = {}): TextRun[] {
	return text.split('\n').map((line, i) => new TextRun({ text: line, break: i === 0 ? 0 : 1, ...options }))
}

function cell(text: string, widthPct: number, options: { bold?: boolean; align?: 'left' | 'right' } = {}): TableCell {
	return new TableCell({
		width: { size: widthPct, type: WidthType.PERCENTAGE },
		children: [
			new Paragraph({
				alignment: options.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
				children: textRuns(text, { bold: options.bold }),
			}),
		],
	})
}

function zoneTable(zone: ReportZone, s: ReportStrings, withAuthor: boolean, ranked: boolean): Table {
	const widths = withAuthor ? COLUMNS_WITH_AUTHOR : COLUMNS_WITHOUT_AUTHOR
	const header = new TableRow({
		tableHeader: true,
		children: [
			cell(ranked ? s.rank : s.number, widths[0], { bold: true, align: 'right' }),
			cell(s.note, widths[1], { bold: true }),
			cell(s.votes, widths[2], { bold: true, align: 'right' }),
			...(withAuthor ? [cell(s.author, widths[3], { bold: true })] : []),
		],
	})
	const rows = zone.notes.map(
		(note, i) =>
			new TableRow({
				cantSplit: true,
				children: [
					cell(String(noteNumber(note, i)), widths[0], { align: 'right' }),
					cell(note.carriedFrom ? `${note.text}\n(${s.carriedFrom} ${note.carriedFrom.title})` : note.text, widths[1]),
					cell(String(note.votes), widths[2], { align: 'right' }),
					...(withAuthor ? [cell(note.author ?? '', widths[3])] : []),
				],
			})
	)
	return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] })
}

/** The board image paragraph, scaled to fit the page; null when the bytes are no PNG. */
function imageParagraph(image: BoardImage, s: ReportStrings): Paragraph | null {
	const size = readPngSize(image.png)
	if (!size) return null
	const scale = Math.min(TEXT_WIDTH_PX / size.width, MAX_IMAGE_HEIGHT_PX / size.height, 1)
	return new Paragraph({
		alignment: AlignmentType.CENTER,
		children: [
			new ImageRun({
				type: 'png',
				data: image.png,
				transformation: {
					width: Math.max(1, Math.round(size.width * scale)),
					height: Math.max(1, Math.round(size.height * scale)),
				},
				altText: { name: s.boardImage, title: s.boardImage, description: s.boardImage },
			}),
		],
	})
}

/**
 * Renders a report as a Word document (.docx, via the `docx` package): the title, the session facts, the board
 * image (or a line saying the report was made without one), then per zone a heading, its guiding question in
 * italics and a table of its notes (number or rank, text, votes, and author unless the room is anonymous).
 *
 * @param image - the board as PNG, rendered by the browser; without it the report says how to get it
 * @throws when `image` is given but is not a PNG (callers check with {@link readPngSize} first)
 */
export async function renderDocx(report: ExportReport, image?: BoardImage): Promise<Buffer> {
	const s = REPORT_STRINGS[report.locale]
	const children = [
		new Paragraph({ heading: HeadingLevel.TITLE, children: textRuns(report.title) }),
		...reportBody(report, image, HeadingLevel.HEADING_1),
	]
	return packDocument(
		report.title,
		templateLine(s, report.template.title, report.template.bouwsteen),
		s,
		report.date,
		children
	)
}

/**
 * The report of one board after its title: the session facts, the board image (or a line saying there is none)
 * and per zone a heading at `zoneHeading`, its question and its notes.
 */
export function reportBody(
	report: ExportReport,
	image: BoardImage | undefined,
	zoneHeading: (typeof HeadingLevel)[keyof typeof HeadingLevel],
	noImageText?: string
): (Paragraph | Table)[] {
	const s = REPORT_STRINGS[report.locale]
	const withAuthor = !report.anonymous
	const children: (Paragraph | Table)[] = []
	const fact = (label: string, value: string) =>
		new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), ...textRuns(value)] })
	children.push(fact(s.date, report.date))
	children.push(fact(s.template, templateLine(s, report.template.title, report.template.bouwsteen)))
	children.push(
		new Paragraph({
			children: [
				new TextRun({ text: `${s.notes}: `, bold: true }),
				new TextRun(`${report.totals.notes} · `),
				new TextRun({ text: `${s.votes}: `, bold: true }),
				new TextRun(String(report.totals.votes)),
			],
		})
	)
	children.push(
		new Paragraph({
			spacing: { after: 12 * PT },
			children: [new TextRun({ text: report.rankedByVotes ? s.rankedByVotes : s.boardOrder, italics: true })],
		})
	)
	if (image) {
		const paragraph = imageParagraph(image, s)
		if (!paragraph) throw new TypeError('The board image is not a PNG file')
		children.push(paragraph)
	} else {
		children.push(
			new Paragraph({
				children: [new TextRun({ text: noImageText ?? s.noBoardImage, italics: true, color: '666666' })],
			})
		)
	}
	for (const zone of report.zones) {
		children.push(new Paragraph({ heading: zoneHeading, children: textRuns(zone.label) }))
		if (zone.question) {
			children.push(
				new Paragraph({
					keepNext: true,
					spacing: { after: 8 * PT },
					children: textRuns(zone.question, { italics: true }),
				})
			)
		}
		if (zone.scores) {
			children.push(
				new Paragraph({
					keepNext: true,
					spacing: { after: 8 * PT },
					children: [new TextRun({ text: scoreLine(s, report.locale, zone.scores), bold: true })],
				})
			)
		}
		if (zone.themes?.length) {
			const texts = new Map(zone.notes.map((n) => [n.id, n.text]))
			children.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: s.themes, bold: true })] }))
			zone.themes.forEach((theme, i) => {
				children.push(
					new Paragraph({
						children: [
							new TextRun({ text: `${theme.rank ?? i + 1}. ${theme.label}`, bold: true }),
							new TextRun(` (${theme.votes} ${s.votes.toLowerCase()}): `),
							new TextRun(theme.noteIds.map((id) => texts.get(id) ?? '').join('; ')),
						],
					})
				)
			})
		}
		if (zone.notes.length === 0) {
			children.push(new Paragraph({ children: [new TextRun({ text: s.noNotes, italics: true })] }))
		} else {
			children.push(zoneTable(zone, s, withAuthor, report.rankedByVotes))
		}
	}
	return children
}

/** A Word document of `children` in the report's styles, with the "made with" footer. */
export function packDocument(
	title: string,
	description: string,
	s: ReportStrings,
	date: string,
	children: (Paragraph | Table)[]
): Promise<Buffer> {
	const document = new Document({
		creator: 'Kompasbord',
		title,
		description,
		styles: {
			default: {
				document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { after: 4 * PT } } },
				title: { run: { font: FONT, size: 44, bold: true, color: ACCENT }, paragraph: { spacing: { after: 10 * PT } } },
				heading1: {
					run: { font: FONT, size: 30, bold: true, color: ACCENT },
					paragraph: { spacing: { before: 18 * PT, after: 4 * PT }, keepNext: true },
				},
				heading2: {
					run: { font: FONT, size: 26, bold: true, color: ACCENT },
					paragraph: { spacing: { before: 14 * PT, after: 4 * PT }, keepNext: true },
				},
			},
		},
		sections: [
			{
				footers: {
					default: new Footer({
						children: [
							new Paragraph({
								children: [new TextRun({ text: `${s.madeWith} · ${date}`, size: 16, color: '888888' })],
							}),
						],
					}),
				},
				children,
			},
		],
	})
	return Packer.toBuffer(document)
}

/**
 * The traject report as a Word document: the traject's title, then per board (compass order) its title as a
 * heading, its kept image and its report, zones one heading level down.
 */
export async function renderTrajectDocx(traject: TrajectReport): Promise<Buffer> {
	const s = REPORT_STRINGS[traject.locale]
	const children: (Paragraph | Table)[] = [
		new Paragraph({ heading: HeadingLevel.TITLE, children: textRuns(`${s.traject}: ${traject.title}`) }),
		new Paragraph({ children: [new TextRun({ text: `${s.date}: `, bold: true }), new TextRun(traject.date)] }),
	]
	for (const { report, png } of traject.boards) {
		children.push(
			new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: textRuns(report.title) })
		)
		const image = png && readPngSize(png) ? { png } : undefined
		children.push(...reportBody(report, image, HeadingLevel.HEADING_2, s.noSnapshot))
	}
	return packDocument(`${s.traject}: ${traject.title}`, s.traject, s, traject.date, children)
}
