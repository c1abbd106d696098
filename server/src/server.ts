import { buildApp } from './app'
import { loadConfig } from './config'
import { lanAddresses } from './http/public-url'
import { exitOnSignals } from './shutdown'

async function main(): Promise<void> {
	const config = loadConfig()
	const app = await buildApp(config)
	if (!config.tldrawLicenseKey) {
		app.log.warn(
			'TLDRAW_LICENSE_KEY is not set. Over plain http (localhost or a LAN address) the board works with a ' +
				'"made with tldraw" watermark; on a public https host a production board without a licence key goes ' +
				'blank after 5 seconds. Set TLDRAW_LICENSE_KEY to your key (no rebuild needed).'
		)
	}
	await app.listen({ port: config.port, host: config.host })
	const address = app.server.address()
	const port = typeof address === 'object' && address ? address.port : config.port
	// Tests and scripts read the port from this first line.
	process.stdout.write(`Kompasbord listening on port ${port}\n`)
	const urls = new Set<string>()
	if (config.publicUrl) urls.add(config.publicUrl)
	if (config.host === '0.0.0.0' || config.host === '::') {
		urls.add(`http://localhost:${port}`)
		for (const ip of lanAddresses()) urls.add(`http://${ip}:${port}`)
	} else urls.add(`http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`)
	process.stdout.write(`Open Kompasbord at:\n${[...urls].map((u) => `  ${u}`).join('\n')}\n`)
	if (config.databaseUrl) {
		// The host and database only: the URL's password stays out of the output.
		const db = new URL(config.databaseUrl)
		process.stdout.write(
			`Database: PostgreSQL at ${db.host}${db.pathname}${config.redisUrl ? ' (room bus on Redis)' : ''}\n`
		)
	} else process.stdout.write(`Data directory: ${config.dataDir}\n`)

	exitOnSignals(app)
}

main().catch((error) => {
	console.error(error)
	process.exit(1)
})
