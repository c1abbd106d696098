/** Languages of the board UI. */
export type ExportLocale = 'nl' | 'en'

/** Every word the export menu shows. */
export interface ExportStrings {
	button: string
	title: string
	imageSection: string
	imageTarget: string
	wholeBoard: string
	png: string
	pngHint: string
	svg: string
	reportSection: string
	reportHint: string
	docx: string
	md: string
	csv: string
	json: string
	close: string
	stageCollect: (shapes: number) => string
	stageRender: string
	stageUpload: (percent: number | null) => string
	stageReport: string
	stageSave: string
	done: (fileName: string) => string
	failed: (message: string) => string
	seconds: (s: number) => string
	nothingToExport: string
}

/** {@link ExportStrings} in Dutch (default) and English. */
export const EXPORT_STRINGS: Record<ExportLocale, ExportStrings> = {
	nl: {
		button: 'Exporteren',
		title: 'Exporteren',
		imageSection: 'Bord als afbeelding',
		imageTarget: 'Wat',
		wholeBoard: 'Het hele bord',
		png: 'PNG',
		pngHint: '2× voor print',
		svg: 'SVG',
		reportSection: 'Verslag',
		reportHint: 'Per vak, in de volgorde van het werkblad, met stippen.',
		docx: 'Word (.docx)',
		md: 'Markdown (.md)',
		csv: 'CSV (.csv)',
		json: 'JSON (.json)',
		close: 'Sluiten',
		stageCollect: (n) => `Bord voorbereiden (${n} vormen)…`,
		stageRender: 'Afbeelding maken…',
		stageUpload: (p) => (p === null ? 'Afbeelding versturen…' : `Afbeelding versturen… ${p}%`),
		stageReport: 'Verslag maken…',
		stageSave: 'Opslaan…',
		done: (name) => `Klaar: ${name}`,
		failed: (message) => `Exporteren mislukt: ${message}`,
		seconds: (s) => `${s} s`,
		nothingToExport: 'Er staat niets op het bord om te exporteren.',
	},
	en: {
		button: 'Export',
		title: 'Export',
		imageSection: 'Board as image',
		imageTarget: 'What',
		wholeBoard: 'The whole board',
		png: 'PNG',
		pngHint: '2× for print',
		svg: 'SVG',
		reportSection: 'Report',
		reportHint: 'Per zone, in worksheet order, with dots.',
		docx: 'Word (.docx)',
		md: 'Markdown (.md)',
		csv: 'CSV (.csv)',
		json: 'JSON (.json)',
		close: 'Close',
		stageCollect: (n) => `Preparing the board (${n} shapes)…`,
		stageRender: 'Rendering the image…',
		stageUpload: (p) => (p === null ? 'Sending the image…' : `Sending the image… ${p}%`),
		stageReport: 'Making the report…',
		stageSave: 'Saving…',
		done: (name) => `Done: ${name}`,
		failed: (message) => `Export failed: ${message}`,
		seconds: (s) => `${s} s`,
		nothingToExport: 'There is nothing on the board to export.',
	},
}
