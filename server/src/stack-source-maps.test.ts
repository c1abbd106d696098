import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const execFileAsync = promisify(execFile)
const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * In a process of its own (the test runner formats stack traces itself): a small TypeScript module bundled by
 * esbuild with a linked map into `dist/`, a copy without its map into `plain/`, and what their errors' stacks say
 * once installStackSourceMaps(dist) ran.
 */
describe('stack traces of the bundle', () => {
	let dir: string
	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'kb-stack-maps-'))
		await mkdir(path.join(dir, 'src'))
		await writeFile(
			path.join(dir, 'src', 'thrower.ts'),
			[
				'export interface Shape { name: string }',
				'',
				'/** Fails with a TypeError. */',
				'export function failWith(shape: Shape): never {',
				'\tthrow new TypeError(`no ${shape.name}`)',
				'}',
				'',
			].join('\n')
		)
		const esbuild = (await import(
			pathToFileURL(createRequire(path.join(here, '..', 'package.json')).resolve('esbuild')).href
		)) as typeof import('esbuild')
		for (const [out, sourcemap] of [
			['dist', 'linked'],
			['plain', false],
		] as const) {
			await esbuild.build({
				entryPoints: [path.join(dir, 'src', 'thrower.ts')],
				outfile: path.join(dir, out, 'thrower.mjs'),
				bundle: true,
				format: 'esm',
				platform: 'node',
				sourcemap,
				sourcesContent: false,
				minifyWhitespace: true,
				logLevel: 'silent',
			})
		}
	})
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true })
	})

	it('names the TypeScript file and line of a bundle frame, and leaves every other frame as V8 prints it', async () => {
		const script = [
			`import { installStackSourceMaps } from ${JSON.stringify(pathToFileURL(path.join(here, 'stack-source-maps.ts')).href)}`,
			`installStackSourceMaps(${JSON.stringify(path.join(dir, 'dist'))})`,
			`const mapped = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'dist', 'thrower.mjs')).href)})`,
			`const plain = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'plain', 'thrower.mjs')).href)})`,
			'const stackOf = (fn) => { try { fn({ name: "vorm" }) } catch (error) { return error.stack } }',
			'process.stdout.write(JSON.stringify({ mapped: stackOf(mapped.failWith), plain: stackOf(plain.failWith) }))',
		].join('\n')
		const scriptFile = path.join(dir, 'probe.mjs')
		await writeFile(scriptFile, script)
		const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', scriptFile], { timeout: 30_000 })
		const { mapped, plain } = JSON.parse(stdout) as { mapped: string; plain: string }
		const source = pathToFileURL(path.join(dir, 'src', 'thrower.ts')).href
		const [header, first, second] = mapped.split('\n')
		expect(header).toBe('TypeError: no vorm')
		expect(first).toMatch(new RegExp(`^    at failWith \\(${escapeRegExp(source)}:5:\\d+\\)$`))
		// The caller's frame is outside the bundle's directory: as V8 prints it.
		expect(second).toMatch(new RegExp(`^    at stackOf \\(${escapeRegExp(pathToFileURL(scriptFile).href)}:5:\\d+\\)$`))
		// A file outside the directory given (and without a map) keeps the bundle's own place.
		const plainFile = pathToFileURL(path.join(dir, 'plain', 'thrower.mjs')).href
		expect(plain.split('\n')[1]).toMatch(new RegExp(`^    at failWith \\(${escapeRegExp(plainFile)}:\\d+:\\d+\\)$`))
	})
})

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
