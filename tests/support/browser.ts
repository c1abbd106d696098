import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { ensureChromium } from '../../scripts/ensure-chromium.mjs'

/** Flags every test browser runs with: headless, no sandbox (root in CI), and no background traffic of its own. */
export const CHROMIUM_ARGS: readonly string[] = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
]

/**
 * Launches the system Chromium (found, or installed when root, by scripts/ensure-chromium.mjs) through
 * playwright-core. Close it in `afterAll`. Give each simulated user its own {@link newUserContext}.
 */
export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: ensureChromium(), args: [...CHROMIUM_ARGS] })
}

/** A phone as the phone-page tests simulate it: 390 × 844 CSS px at 2× pixels, mobile, touch. */
export const PHONE_DEVICE = {
	viewport: { width: 390, height: 844 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true,
} as const satisfies BrowserContextOptions

/** Options of {@link newUserContext}: playwright's context options plus the server the user talks to. */
export interface UserContextOptions extends BrowserContextOptions {
	/** The Kompasbord server (`http://127.0.0.1:<port>`); any request to another host is foreign. */
	serverUrl: string
}

/** One simulated user: a browser context that records every request it makes. */
export interface UserContext {
	context: BrowserContext
	/** Opens a new tab in this context. */
	newPage(): Promise<Page>
	/** Every URL requested so far (HTTP requests and WebSocket connections), in order. */
	requests(): string[]
	/** Requested URLs whose host is not the server's host:port (`data:`, `blob:` and `about:` are local). */
	foreignRequests(): string[]
	/** Uncaught page errors and `console.error` messages so far. */
	pageErrors(): string[]
	close(): Promise<void>
}

const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:'])

/**
 * Tells whether `url` leaves the server at `serverHost` (`host:port`).
 * @returns true for any http(s)/ws(s)/other URL on another host
 */
export function isForeignUrl(url: string, serverHost: string): boolean {
	let parsed: URL
	try {
		parsed = new URL(url)
	} catch {
		return true
	}
	if (LOCAL_SCHEMES.has(parsed.protocol)) return false
	return parsed.host !== serverHost
}

/**
 * Creates a browser context for one user (locale `nl-NL` unless given) that records every request URL and
 * every WebSocket it opens, so a test can assert that nothing went to another host.
 */
export async function newUserContext(browser: Browser, options: UserContextOptions): Promise<UserContext> {
	const { serverUrl, ...contextOptions } = options
	const serverHost = new URL(serverUrl).host
	const context = await browser.newContext({ locale: 'nl-NL', ...contextOptions })
	const urls: string[] = []
	const errors: string[] = []
	const watchPage = (page: Page) => {
		page.on('websocket', (socket) => urls.push(socket.url()))
		page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(`console.error: ${message.text()}`)
		})
	}
	context.on('request', (request) => urls.push(request.url()))
	context.on('page', watchPage)
	return {
		context,
		newPage: () => context.newPage(),
		requests: () => [...urls],
		foreignRequests: () => urls.filter((url) => isForeignUrl(url, serverHost)),
		pageErrors: () => [...errors],
		close: () => context.close(),
	}
}
