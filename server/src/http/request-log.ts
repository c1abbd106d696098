import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

/**
 * A URL as the log shows it: the path, and of the query only the parameter names (`/x?a=…&b=…`). Query values
 * can carry what must never reach a log file (participant ids or tokens of older clients, keys, codes).
 */
export function loggableUrl(url: string): string {
	const queryAt = url.indexOf('?')
	if (queryAt < 0) return url
	const names = new URLSearchParams(url.slice(queryAt + 1)).keys()
	return `${url.slice(0, queryAt)}?${[...new Set(names)].map((name) => `${encodeURIComponent(name)}=…`).join('&')}`
}

/** The request as the log shows it: no headers (they carry keys and tokens), no query values. */
function loggableRequest(request: FastifyRequest) {
	return { method: request.method, url: loggableUrl(request.url), remoteAddress: request.ip }
}

/**
 * One log line per answered request (`request completed`: method, path without query values, client address,
 * status, time), in place of Fastify's own request logging, which logs the raw URL. Register it with
 * `disableRequestLogging: true`.
 */
export const requestLogPlugin: FastifyPluginAsync = fp(
	async (app) => {
		app.addHook('onResponse', async (request, reply) => {
			request.log.info(
				{ req: loggableRequest(request), res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
				'request completed'
			)
		})
	},
	{ name: 'kompasbord-request-log' }
)
