import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One JSON data file of a templates folder: its file name and its text. */
export interface TemplateFile {
	name: string
	text: string
}

/** The folder holding the template data files (this package's folder). */
export const TEMPLATES_DIR = fileURLToPath(new URL('.', import.meta.url))

/** Every `*.json` file directly in `dir` (templates and others such as `package.json`), sorted by name. */
export function readJsonFiles(dir: string): TemplateFile[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }))
}
