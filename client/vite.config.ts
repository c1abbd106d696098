import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const serverTarget = process.env.KOMPASBORD_DEV_SERVER ?? 'http://127.0.0.1:8080'

/**
 * The HTML entries of the build: the board app (`index.html`, home + `/b/:roomId`) and, once it exists, the lean
 * phone page (`phone.html`, served for `/j` and `/j/*`).
 */
function htmlInputs(): Record<string, string> {
	const inputs: Record<string, string> = { index: `${root}index.html` }
	if (existsSync(`${root}phone.html`)) inputs.phone = `${root}phone.html`
	// The operator's admin page (/admin): its own small bundle, never loaded by the board or the phone.
	if (existsSync(`${root}admin.html`)) inputs.admin = `${root}admin.html`
	return inputs
}

/**
 * The Content-Security-Policy of the built pages: the app may talk to its own origin only (the websocket too),
 * so no font, icon, translation or licence ping ever leaves the venue network. Only added to the production
 * build; the dev server injects inline scripts for hot reload.
 */
export const CONTENT_SECURITY_POLICY = [
	"default-src 'self'",
	"script-src 'self'",
	// tldraw and React set inline style attributes.
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"font-src 'self' data:",
	"media-src 'self' data: blob:",
	// 'self' covers same-origin ws:/wss: in current browsers; older WebKit needs the schemes spelled out.
	"connect-src 'self' ws: wss:",
	"worker-src 'self' blob:",
	"frame-src 'none'",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
].join('; ')

function contentSecurityPolicy(): Plugin {
	return {
		name: 'kompasbord-csp',
		apply: 'build',
		transformIndexHtml(_html, context) {
			// The board app only; the phone page (another entry) sets its own policy.
			if (!context.filename.endsWith('index.html')) return
			return [
				{
					tag: 'meta',
					attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
					injectTo: 'head-prepend',
				},
			]
		},
	}
}

/** The local files an HTML page loads: module scripts, stylesheets, modulepreloads, manifest and icons. */
function pageFiles(html: string): string[] {
	const files: string[] = []
	for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) files.push(match[1])
	for (const match of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*>/g)) files.push(match[1])
	return files.filter((file) => file.startsWith('/'))
}

/**
 * Writes `dist/phone-sw.js`, the phone page's service worker, from src/phone/service-worker.js: the precache
 * list is the page shell (`/j`) and every file phone.html loads (its script and stylesheet, the chunks it
 * preloads, the manifest and the icons); the version is their hash, so a new build installs a new worker and
 * drops the old cache.
 */
function phoneServiceWorker(): Plugin {
	return {
		name: 'kompasbord-phone-sw',
		apply: 'build',
		closeBundle() {
			const dist = `${root}dist/`
			if (!existsSync(`${dist}phone.html`)) return
			const manifest = JSON.parse(readFileSync(`${root}public/manifest.webmanifest`, 'utf8')) as {
				icons: { src: string }[]
			}
			const files = [
				'/j',
				...new Set([...pageFiles(readFileSync(`${dist}phone.html`, 'utf8')), ...manifest.icons.map((i) => i.src)]),
			]
			const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12)
			const source = readFileSync(`${root}src/phone/service-worker.js`, 'utf8')
				.replace("'__KOMPASBORD_VERSION__'", JSON.stringify(version))
				.replace('__KOMPASBORD_PRECACHE__', JSON.stringify(files))
			writeFileSync(`${dist}phone-sw.js`, source)
		},
	}
}

export default defineConfig({
	root,
	plugins: [react(), contentSecurityPolicy(), phoneServiceWorker()],
	// tldraw's fonts, icons and translations are imported as files (see src/board/tldraw-assets.ts) and must
	// not be pre-bundled, or their URLs break.
	optimizeDeps: { exclude: ['@tldraw/assets'] },
	server: {
		host: '127.0.0.1',
		port: 5173,
		proxy: {
			'/api': { target: serverTarget, changeOrigin: false },
			'/ws': { target: serverTarget, ws: true, changeOrigin: false },
		},
	},
	preview: {
		proxy: {
			'/api': { target: serverTarget },
			'/ws': { target: serverTarget, ws: true },
		},
	},
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		target: 'es2022',
		// tldraw alone is ~2 MB of JavaScript before gzip; it is its own lazily loaded chunk (the board route).
		chunkSizeWarningLimit: 3000,
		// Fonts and icons stay files (cacheable, and allowed by the CSP either way).
		assetsInlineLimit: 0,
		rolldownOptions: {
			input: htmlInputs(),
		},
	},
})
