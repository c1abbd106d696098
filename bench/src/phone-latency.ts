/**
 * Benchmark (not a test): how long from tapping "Versturen" on the phone page until the note is drawn on
 * another person's board, over 50 notes, with p50/p95 printed.
 *
 * Real parts only: the server as a process (`server/src/server.ts`, SQLite in a temp DATA_DIR, the built client
 * from `client/dist`), two phones (390×844, touch) and one facilitator board in Chromium. Each note is timed in
 * the browsers themselves on the shared epoch clock (`performance.timeOrigin + performance.now()`): t0 in the
 * phone's click handler of the send button, t1 in the first animation frame after the board's DOM holds a shape
 * with the note's text. The phone's own view (click → the server's 201 read by the page) is printed beside it.
 *
 * Run: `npx tsx bench/src/phone-latency.ts [notes]` from the repo root (build the client first: `npm run build`).
 *
 * @module
 */
import os from 'node:os'
import { api } from '../../tests/support/api'
import { openBoard } from '../../tests/support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../../tests/support/browser'
import { startServerProcess } from '../../tests/support/server-process'
import { percentileOfSorted } from './stats'

const NOTES = Number(process.argv[2] ?? 50)
/** Phones take turns, so no single participant meets the per-participant note limit. */
const PHONES = 2

interface PhoneWindow {
	__sentAt?: Record<string, number>
	__answeredAt?: Record<string, number>
}

interface BoardWindow {
	__drawnAt?: Record<string, number>
	__watch?: (marker: string) => void
}

/** A browser tab (playwright's Page, as the test helpers hand it out). */
type Page = Awaited<ReturnType<typeof openBoard>>

/*
 * The instrumentation runs as plain script text: tsx compiles named functions with a `__name` helper that
 * does not exist inside the page.
 */

/** Makes the phone record when the send button is clicked and when the note's POST is answered. */
const PHONE_SCRIPT = `(() => {
	window.__sentAt = {}
	window.__answeredAt = {}
	const now = () => performance.timeOrigin + performance.now()
	document.addEventListener('click', (event) => {
		const button = event.target.closest('button.send')
		const area = document.getElementById('note-text')
		if (button && area && area.value.trim()) window.__sentAt[area.value.trim()] = now()
	}, true)
	const original = window.fetch.bind(window)
	window.fetch = async (input, init) => {
		const response = await original(input, init)
		if (init && init.method === 'POST' && typeof init.body === 'string' && String(input).endsWith('/notes') && response.ok) {
			window.__answeredAt[JSON.parse(init.body).text] = now()
		}
		return response
	}
})()`

/** Makes the board record the first frame in which a note shape shows a given text. */
const BOARD_SCRIPT = `(() => {
	window.__drawnAt = {}
	const wanted = new Set()
	const check = () => {
		for (const marker of wanted) {
			for (const shape of document.querySelectorAll('[data-shape-type="note"]')) {
				if (!(shape.textContent || '').includes(marker)) continue
				wanted.delete(marker)
				requestAnimationFrame(() => { window.__drawnAt[marker] = performance.timeOrigin + performance.now() })
				break
			}
		}
	}
	new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true })
	window.__watch = (marker) => { wanted.add(marker); check() }
})()`

function format(label: string, values: number[]): string {
	const sorted = Float64Array.from(values).sort()
	const at = (q: number) => percentileOfSorted(sorted, q).toFixed(0).padStart(5)
	return `${label.padEnd(34)} p50 ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${at(1)} ms`
}

async function main(): Promise<void> {
	const server = await startServerProcess()
	const browser = await launchBrowser()
	const users: UserContext[] = []
	try {
		const room = await api(server.baseUrl).createRoom('dos-en-donts', { title: 'Benchmark telefoon → bord' })
		const facilitator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1280, height: 800 },
		})
		users.push(facilitator)
		const board = await openBoard(facilitator, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Bord',
		})
		await board.evaluate(BOARD_SCRIPT)

		const phones: Page[] = []
		for (let p = 0; p < PHONES; p++) {
			const user = await newUserContext(browser, {
				serverUrl: server.baseUrl,
				viewport: { width: 390, height: 844 },
				isMobile: true,
				hasTouch: true,
			})
			users.push(user)
			const phone = await user.newPage()
			await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
			await phone.locator('button.zone').first().waitFor()
			await phone.locator(`button.zone[data-zone="${p % 2 ? 'donts' : 'dos'}"]`).tap()
			await phone.locator('#note-text').waitFor()
			await phone.evaluate(PHONE_SCRIPT)
			phones.push(phone)
		}

		const drawn: number[] = []
		const answered: number[] = []
		const started = Date.now()
		for (let i = 0; i < NOTES; i++) {
			const phone = phones[i % PHONES]
			const marker = `Meting ${i + 1} ${Math.random().toString(36).slice(2, 8)}`
			await board.evaluate(`window.__watch(${JSON.stringify(marker)})`)
			await phone.locator('#note-text').fill(marker)
			await phone.locator('button.send').tap()
			await board.waitForFunction((m: string) => Boolean((window as unknown as BoardWindow).__drawnAt?.[m]), marker, {
				timeout: 30_000,
			})
			await phone.waitForFunction(
				(m: string) => Boolean((window as unknown as PhoneWindow).__answeredAt?.[m]),
				marker,
				{ timeout: 30_000 }
			)
			const sentAt = (await phone.evaluate(`window.__sentAt[${JSON.stringify(marker)}]`)) as number | undefined
			const answeredAt = (await phone.evaluate(`window.__answeredAt[${JSON.stringify(marker)}]`)) as number
			const drawnAt = (await board.evaluate(`window.__drawnAt[${JSON.stringify(marker)}]`)) as number
			if (sentAt === undefined) throw new Error(`the phone did not see the tap of note ${i + 1}`)
			drawn.push(drawnAt - sentAt)
			answered.push(answeredAt - sentAt)
		}
		const seconds = (Date.now() - started) / 1000
		const notesOnBoard = (await board.evaluate(
			`window.__kompasbord.editor.getCurrentPageShapes().filter((s) => s.type === 'note').length`
		)) as number
		console.log('')
		console.log(
			`Phone → board latency, ${NOTES} notes from ${PHONES} phones into 2 zones (${seconds.toFixed(1)} s in all)`
		)
		console.log(
			`machine: ${os.cpus().length} cores, load ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' / ')}, Node ${process.version}`
		)
		console.log(format('tap → note drawn on another board', drawn))
		console.log(format('tap → 201 read by the phone', answered))
		console.log(`notes on the board at the end: ${notesOnBoard} (expected ${NOTES})`)
		if (notesOnBoard !== NOTES) process.exitCode = 1
	} finally {
		for (const user of users) await user.close().catch(() => {})
		await browser.close()
		await server.stop()
	}
}

await main()
