import { readJsonFiles, TEMPLATES_DIR, type TemplateFile } from './template-files'

/**
 * The JSON files this package ships with, read from {@link TEMPLATES_DIR} on each call.
 *
 * The server bundle (scripts/build-server.mjs) replaces this module with one that returns the files' text as it
 * was at build time: in a bundle `import.meta.url` is the bundle's, not this folder's, and the bundle is
 * self-contained. Keep this module's exports to this one function.
 */
export function packagedTemplateFiles(): TemplateFile[] {
	return readJsonFiles(TEMPLATES_DIR)
}
