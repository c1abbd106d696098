import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The Content-Security-Policy of every answer: the app talks to its own origin only (the websocket too), so no
 * font, icon, translation or licence ping ever leaves the venue network, and no other site may frame a board
 * (`frame-ancestors 'none'`). tldraw needs inline style attributes, `data:`/`blob:` images and fonts, and
 * `blob:` workers. The built pages carry the same policy as a meta tag (client/vite.config.ts), which cannot
 * say `frame-ancestors`.
 */
export const CONTENT_SECURITY_POLICY = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"font-src 'self' data:",
	"media-src 'self' data: blob:",
	// 'self' covers same-origin ws:/wss: in current browsers; older WebKit needs the schemes spelled out.
	"connect-src 'self' ws: wss:",
	"worker-src 'self' blob:",
	"frame-src 'none'",
	"frame-ancestors 'none'",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
].join('; ')

/** Headers sent with every answer: pages, static assets, API answers and errors alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'content-security-policy': CONTENT_SECURITY_POLICY,
	'x-content-type-options': 'nosniff',
	// Links out of a board or phone page never carry its path (room id, join code) to another site.
	'referrer-policy': 'no-referrer',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
}

/** Adds {@link SECURITY_HEADERS} to every answer (an onRequest hook, so 404s and errors carry them too). */
export const securityHeadersPlugin: FastifyPluginAsync = fp(
	async (app) => {
		app.addHook('onRequest', async (_request, reply) => {
			reply.headers(SECURITY_HEADERS)
		})
	},
	{ name: 'kompasbord-security-headers' }
)
