import os from 'node:os'
import type { FastifyRequest } from 'fastify'
import type { ServerConfig } from '../config'

/** The machine's non-internal IPv4 addresses (the ones phones on the venue network can reach). */
export function lanAddresses(): string[] {
	const found: string[] = []
	for (const list of Object.values(os.networkInterfaces())) {
		for (const address of list ?? []) {
			if (address.family === 'IPv4' && !address.internal) found.push(address.address)
		}
	}
	return found
}

function isLoopbackHost(hostname: string): boolean {
	return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]' || hostname === '::1'
}

/** The origin the request came in on, e.g. `http://127.0.0.1:8080`. */
export function requestOrigin(request: FastifyRequest): string {
	return `${request.protocol}://${request.host}`
}

/**
 * The base URL to put in links for phones: `PUBLIC_URL` when configured; else the request's origin, unless that
 * is a loopback address (the facilitator's own laptop), in which case the first LAN address with the same port.
 */
export function phoneBaseUrl(config: ServerConfig, request: FastifyRequest): string {
	if (config.publicUrl) return config.publicUrl
	const origin = requestOrigin(request)
	if (!isLoopbackHost(request.hostname)) return origin
	const lan = lanAddresses()[0]
	if (!lan) return origin
	const port = request.port ?? config.port
	return `${request.protocol}://${lan}${port ? `:${port}` : ''}`
}
