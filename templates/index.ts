/**
 * The board templates: every `*.json` data file in this folder (except `package.json`), validated against
 * the template schema of `@kompasbord/shared`. Adding a template means adding a data file; no code changes.
 *
 * Node only (reads the folder with `node:fs`); the browser gets template data through `GET /api/templates`
 * and uses the pure functions of `@kompasbord/shared` on it.
 *
 * @packageDocumentation
 */
import {
	parseTemplate,
	resolveTemplateZones,
	templatePreviewSvg,
	templateSummary,
	TemplateError,
	type ResolvedZone,
	type Template,
	type TemplateSummary,
	type ZoneOptions,
} from '@kompasbord/shared'
import { packagedTemplateFiles } from './packaged-templates'
import { readJsonFiles, TEMPLATES_DIR, type TemplateFile } from './template-files'

export { TEMPLATES_DIR }

/** JSON files in the folder that are not templates. */
const NOT_TEMPLATES = new Set(['package.json', 'tsconfig.json'])

/**
 * The sort key of a building block: a bare number ("0", "1": the block's "Leren en verbeteren" page, which the
 * worksheet puts after the block's parts) sorts after its lettered parts ("0-A", "0-B"); no block sorts last.
 */
function worksheetKey(bouwsteen: string | null): string {
	if (bouwsteen === null) return '~'
	return bouwsteen.includes('-') ? bouwsteen : `${bouwsteen}-~`
}

function byWorksheetOrder(a: Template, b: Template): number {
	// Worksheet templates by building block, then the rest (blanco); ties by id.
	const ka = worksheetKey(a.bouwsteen)
	const kb = worksheetKey(b.bouwsteen)
	if (ka !== kb) return ka < kb ? -1 : 1
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Reads and validates every template data file in `dir`, in worksheet order (by building block — a block's
 * "Leren en verbeteren" page after its lettered parts — then id; templates without a building block last). Throws a TemplateError naming the file for invalid data, a
 * file whose name is not `<id>.json`, or two files with one id.
 * @param dir - folder to read; default {@link TEMPLATES_DIR}.
 */
export function loadTemplates(dir: string = TEMPLATES_DIR): Template[] {
	return parseTemplateFiles(readJsonFiles(dir))
}

/** Validates the template data files among `files` (all but {@link NOT_TEMPLATES}); see {@link loadTemplates}. */
function parseTemplateFiles(files: readonly TemplateFile[]): Template[] {
	const templates: Template[] = []
	for (const { name: file, text } of files) {
		if (NOT_TEMPLATES.has(file)) continue
		let data: unknown
		try {
			data = JSON.parse(text)
		} catch (error) {
			throw new TemplateError(file, [`not valid JSON: ${(error as Error).message}`])
		}
		const template = parseTemplate(data, file)
		if (`${template.id}.json` !== file) {
			throw new TemplateError(file, [`/id: "${template.id}" does not match the file name`])
		}
		templates.push(template)
	}
	return templates.sort(byWorksheetOrder)
}

let loaded: { list: Template[]; byId: Map<string, Template> } | undefined

function cache() {
	if (!loaded) {
		const list = parseTemplateFiles(packagedTemplateFiles())
		loaded = { list, byId: new Map(list.map((t) => [t.id, t])) }
	}
	return loaded
}

/** Every template, validated, in worksheet order. Read (see packaged-templates.ts) and validated once, on first use. */
export function listTemplates(): readonly Template[] {
	return cache().list
}

/** The template with this id, or undefined. */
export function getTemplate(id: string): Template | undefined {
	return cache().byId.get(id)
}

/**
 * The body of `GET /api/templates`: one {@link TemplateSummary} per template, in worksheet order. For the
 * activity matrix the zones are those of the default column count (4, as on the worksheet) and
 * `columns: {min, max, default}` tells which counts a room may be created with. Each summary also carries
 * `preview`, an SVG thumbnail of the board for the template picker (`templatePreviewSvg(summary)` returns it).
 */
export function templateSummaries(): TemplateSummary[] {
	return listTemplates().map((t) => ({ ...templateSummary(t), preview: templatePreviewSvg(t, { width: 320 }) }))
}

/**
 * The concrete zones of a room made from template `templateId`, in worksheet order, with their frames'
 * rectangles. Undefined for an unknown template; a RangeError for a column count outside the template's range.
 */
export function resolveZones(templateId: string, options: ZoneOptions = {}): ResolvedZone[] | undefined {
	const template = getTemplate(templateId)
	return template ? resolveTemplateZones(template, options) : undefined
}
