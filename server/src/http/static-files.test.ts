import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { acceptsEncoding, contentTypeOf, fileInRoot } from './static-files'

describe('static files', () => {
	it('takes an encoding only when the request lists it without q=0', () => {
		expect(acceptsEncoding('gzip, deflate, br, zstd', 'br')).toBe(true)
		expect(acceptsEncoding('gzip;q=1.0, br;q=0.5', 'br')).toBe(true)
		expect(acceptsEncoding('gzip, br;q=0', 'br')).toBe(false)
		expect(acceptsEncoding('gzip', 'br')).toBe(false)
		expect(acceptsEncoding('BR', 'br')).toBe(true)
		expect(acceptsEncoding(undefined, 'gzip')).toBe(false)
	})

	it('resolves a URL path inside the root only', () => {
		const root = path.resolve('/srv/client')
		expect(fileInRoot(root, '/assets/app-1.js')).toBe(path.join(root, 'assets', 'app-1.js'))
		expect(fileInRoot(root, '/assets/a%20b.svg')).toBe(path.join(root, 'assets', 'a b.svg'))
		for (const bad of [
			'/',
			'/../etc/passwd',
			'/%2e%2e/x',
			'/a/%2e%2e%2f%2e%2e%2fx',
			'/.git/config',
			'/a/.env',
			'/%00',
			'/%E0%A4%A',
			'/a%5c..%5cx',
		]) {
			expect(fileInRoot(root, bad), bad).toBeNull()
		}
	})

	it('names content types by extension', () => {
		expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8')
		expect(contentTypeOf('app.JS')).toBe('text/javascript; charset=utf-8')
		expect(contentTypeOf('manifest.webmanifest')).toBe('application/manifest+json; charset=utf-8')
		expect(contentTypeOf('blob.bin')).toBe('application/octet-stream')
	})
})
