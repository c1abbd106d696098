/**
 * Times the board PNG export of a 500-note board in headless Chromium, as the export menu makes it (2×, longest
 * side capped at 8192 px, background on). A script, not a test: it prints what it measured.
 *
 *   node --import tsx bench/src/png-export.ts [--notes 500] [--runs 5] [--ratios 0.5,1] [--profile] [--raw] [--menu-only]
 *
 * It starts the real server (temp DATA_DIR), creates a `veranderverhaal` room, writes the notes into the room's
 * doc over y-websocket (with the facilitator key), placed in the zones by the same placement code phones use,
 * opens the board in Chromium, waits until every note is on the canvas, then:
 * - the export menu's PNG, from the click to the finished download: one cold run (fonts are fetched and
 *   embedded the first time) and `--runs` warm runs, each broken down by the client's performance marks
 *   (`kb-export:*`), and the CPU time Chromium and the server spent on it (less stretched by other load than the
 *   wall clock); the last file is kept in `.tmp/png-export/` to be looked at;
 * - the same export (`renderBoardImage`, through `window.__kompasbord.renderImage`) as it is now and as tldraw's
 *   own pipeline makes it (`editor.toImage`: no style-read cache, inline styles, erode filters for the notes'
 *   shadows), interleaved, `--runs` each, with a check that both give the same picture (the shadows within 24
 *   levels);
 * - `--raw`: tldraw's `editor.toImage` at 2× without the size cap, and `editor.getSvgString`.
 * Aim: PNG ≤ 5 s on the dev machines.
 *
 * Needs the built client (`npm test` or `node scripts/build-client.mjs`).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { RECORDS_MAP } from '@kompasbord/shared/doc-layout'
import { placeNoteInZone, zoneFrames } from '@kompasbord/shared/zones'
import { ensureClientBuild } from '../../scripts/build-client.mjs'
import { ensureDeps } from '../../scripts/ensure-deps.mjs'
import { noteRecord } from '../../tests/fixtures/export-fixture'
import {
	api,
	connectYClient,
	launchBrowser,
	newUserContext,
	repoRoot,
	screenshotDir,
	startServerProcess,
	waitFor,
} from '../../tests/support'
import { openBoard } from '../../tests/support/board-page'

const { values } = parseArgs({
	options: {
		notes: { type: 'string', default: '500' },
		runs: { type: 'string', default: '5' },
		/** Extra PNG runs at these pixel ratios first, e.g. `--ratios 0.5,1,2`. */
		ratios: { type: 'string' },
		/** Profile one `renderBoardImage` PNG (the menu's export) with the CPU profiler and print the top functions. */
		profile: { type: 'boolean', default: false },
		/** Also time tldraw's own `toImage` (2×, no cap) and `getSvgString`. */
		raw: { type: 'boolean', default: false },
		/** Trace one `renderBoardImage` PNG with Chromium's tracing and print the trace events with the most time. */
		trace: { type: 'boolean', default: false },
		/** Only the export menu's runs (skip the comparison with tldraw's pipeline). */
		'menu-only': { type: 'boolean', default: false },
	},
})
const NOTE_COUNT = Number(values.notes)
/** Where the last exported PNG is kept, to be looked at (git-ignored). */
const KEEP_DIR = path.join(repoRoot, '.tmp', 'png-export')
const RUNS = Number(values.runs)
const COLOURS = ['yellow', 'light-blue', 'light-green', 'orange', 'light-violet', 'light-red']
const WORDS =
	'jongeren school ouders grenzen veilig samen wijk preventie signalen gesprek leerkracht respect online sport'.split(
		' '
	)

function sentence(i: number): string {
	const words: string[] = []
	for (let w = 0; w < 4 + (i % 9); w++) words.push(WORDS[(i * 7 + w * 3) % WORDS.length])
	return `${i + 1}. ${words.join(' ')}`
}

/**
 * CPU time (user + system, in ms) of this process's descendants that are alive: the server and Chromium's
 * processes. Read around an export it tells the work done, which other load on the machine stretches less than
 * the wall clock (the server idles meanwhile).
 */
function descendantsCpuMs(): number {
	const parentOf = new Map<number, number>()
	const cpu = new Map<number, number>()
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
			parentOf.set(Number(entry), Number(fields[1]))
			cpu.set(Number(entry), Number(fields[11]) + Number(fields[12]))
		} catch {
			// gone meanwhile
		}
	}
	const ticksPerSecond = 100
	let total = 0
	for (const [pid, ticks] of cpu) {
		for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) {
			if (p === process.pid) {
				total += ticks
				break
			}
		}
	}
	return (total * 1000) / ticksPerSecond
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b)
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** The parts of a V8 CPU profile (`Profiler.stop`) used here. */
interface CpuProfile {
	nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]
	samples: number[]
	timeDeltas: number[]
}

/** The functions with the most self time in a CPU profile, as printable lines. */
function topFunctions(profile: CpuProfile, count: number): string[] {
	const byNode = new Map(profile.nodes.map((n) => [n.id, n]))
	const self = new Map<string, number>()
	profile.samples.forEach((id, i) => {
		const frame = byNode.get(id)!.callFrame
		const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`
		self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0))
	})
	const total = [...self.values()].reduce((a, b) => a + b, 0)
	return [...self.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(
			([key, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`
		)
}

async function main(): Promise<void> {
	ensureClientBuild(ensureDeps())
	mkdirSync(screenshotDir, { recursive: true })
	mkdirSync(KEEP_DIR, { recursive: true })
	const server = await startServerProcess()
	const browser = await launchBrowser()
	try {
		const room = await api(server.baseUrl).createRoom('veranderverhaal', { title: 'Bench 500' })
		const client = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await client.waitForSync()
		const map = client.doc.getMap<Record<string, unknown>>(RECORDS_MAP)
		const zones = [...zoneFrames([...map.values()] as never[]).keys()]
		client.doc.transact(() => {
			for (let i = 0; i < NOTE_COUNT; i++) {
				const zoneId = zones[i % zones.length]
				const placed = placeNoteInZone([...map.values()] as never[], zoneId)
				if (!placed) throw new Error(`no frame for zone ${zoneId}`)
				const id = `shape:bench-${i}`
				const record = noteRecord({
					id,
					parentId: placed.frameId,
					x: placed.x,
					y: placed.y,
					index: placed.index,
					text: sentence(i),
					meta: { kind: 'note', zoneId },
					color: COLOURS[i % COLOURS.length],
				})
				record.props.scale = placed.scale
				// What the server writes for a phone note whose words fit on a line (notes/note-record.ts); the
				// fixture's 0 draws the text at 0 px, so the board would export as blank notes.
				record.props.fontSizeAdjustment = 1
				map.set(id, record as unknown as Record<string, unknown>)
			}
		})
		// Wait until the server has the notes (a fresh client sees them).
		const check = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await check.waitForSync()
		await waitFor(
			() => [...check.doc.getMap(RECORDS_MAP).keys()].filter((k) => k.startsWith('shape:bench-')).length === NOTE_COUNT,
			{
				timeout: 60_000,
				message: 'notes stored',
			}
		)
		check.destroy()
		client.destroy()

		const user = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1600, height: 1000 },
			acceptDownloads: true,
		})
		const page = await openBoard(user, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Bench',
			timeout: 120_000,
		})
		await page.waitForFunction(
			(n) => {
				const editor = (
					window as unknown as { __kompasbord?: { editor?: { getCurrentPageShapes(): { type: string }[] } } }
				).__kompasbord?.editor
				return editor ? editor.getCurrentPageShapes().filter((s) => s.type === 'note').length >= n : false
			},
			NOTE_COUNT,
			{ timeout: 120_000 }
		)
		const os = await import('node:os')
		const cpu = os.cpus()
		console.log(
			`board: ${NOTE_COUNT} notes in ${zones.length} zones · machine: ${cpu.length} × ${cpu[0]?.model ?? '?'} · ` +
				`load average ${os
					.loadavg()
					.map((l) => l.toFixed(1))
					.join(' ')} · Chromium headless`
		)

		const exportOnce = (format: 'png' | 'svg', pixelRatio = 2) =>
			page.evaluate(
				async ({ fmt, pixelRatio }) => {
					const editor = (window as never as { __kompasbord: { editor: any } }).__kompasbord.editor
					const ids = editor.getSortedChildIdsForParent(editor.getCurrentPageId())
					const opts = { background: true, darkMode: false, padding: 32 }
					const t0 = performance.now()
					if (fmt === 'svg') {
						const r = await editor.getSvgString(ids, opts)
						return { ms: performance.now() - t0, bytes: r.svg.length, width: r.width, height: r.height }
					}
					const r = await editor.toImage(ids, { ...opts, format: 'png', pixelRatio })
					return { ms: performance.now() - t0, bytes: r.blob.size, width: r.width, height: r.height }
				},
				{ fmt: format, pixelRatio }
			)

		if (values.profile) {
			const cdp = await page.context().newCDPSession(page)
			await cdp.send('Profiler.enable')
			await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
			// The export as the menu makes it (renderBoardImage), once warm-up and once profiled.
			const ours = () =>
				page.evaluate(async () => {
					const handle = (window as never as { __kompasbord: { renderImage(o: object): Promise<unknown> } })
						.__kompasbord
					const t0 = performance.now()
					await handle.renderImage({ format: 'png', target: { kind: 'board' } })
					return performance.now() - t0
				})
			await ours()
			await cdp.send('Profiler.start')
			const ms = await ours()
			const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile }
			console.log(`profile of renderBoardImage PNG (${(ms / 1000).toFixed(2)} s), top self time:`)
			for (const line of topFunctions(profile, 25)) console.log(`  ${line}`)
		}

		if (values.trace) {
			const cdp = await page.context().newCDPSession(page)
			/** The fields of a trace event used here. */
			type TraceEvent = { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } }
			const events: TraceEvent[] = []
			cdp.on('Tracing.dataCollected', (data) => {
				events.push(...(data.value as unknown as TraceEvent[]))
			})
			const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
			await cdp.send('Tracing.start', {
				traceConfig: {
					includedCategories: [
						'devtools.timeline',
						'disabled-by-default-devtools.timeline',
						'blink',
						'cc',
						'skia',
						'v8',
					],
				},
				transferMode: 'ReportEvents',
			})
			const ms = await page.evaluate(async () => {
				const handle = (window as never as { __kompasbord: { renderImage(o: object): Promise<unknown> } }).__kompasbord
				const t0 = performance.now()
				await handle.renderImage({ format: 'png', target: { kind: 'board' } })
				return performance.now() - t0
			})
			await cdp.send('Tracing.end')
			await done
			const threads = new Map<string, string>()
			for (const e of events)
				if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}/${e.tid}`, e.args?.name ?? '?')
			const total = new Map<string, number>()
			for (const e of events) {
				if (e.ph !== 'X' || !e.dur) continue
				const key = `${threads.get(`${e.pid}/${e.tid}`) ?? e.tid} ${e.name}`
				total.set(key, (total.get(key) ?? 0) + e.dur)
			}
			console.log(
				`trace of renderBoardImage PNG (${(ms / 1000).toFixed(2)} s), events with the most time (nested ones counted in their parents too):`
			)
			for (const [key, us] of [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40))
				console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`)
		}

		if (values.ratios) {
			for (const ratio of values.ratios.split(',').map(Number)) {
				const r = await exportOnce('png', ratio)
				console.log(
					`PNG pixelRatio ${ratio}: ${(r.ms / 1000).toFixed(2)} s · ${r.width}×${r.height} · ${(r.bytes / 1e6).toFixed(1)} MB`
				)
			}
		}

		// What a facilitator waits for: the export menu's PNG of the whole board (2×, longest side capped at
		// 8192 px), from the click to the finished download.
		await page.getByTestId('kb-export-button').click()
		await page.getByTestId('kb-export-target').selectOption('board')
		const menuRuns: number[] = []
		let size = ''
		// Where the time of a menu run goes: the client's performance marks (kb-export:*) and the click's and the
		// download's moments, all on the wall clock (performance.timeOrigin + now, here and in the page).
		await page.evaluate(() => {
			document.addEventListener(
				'click',
				(event) => {
					if ((event.target as Element).closest?.('[data-testid="kb-export-png"]')) performance.mark('kb-export:click')
				},
				true
			)
		})
		const wall = () => performance.timeOrigin + performance.now()
		const breakdowns: string[] = []
		const menuCpu: number[] = []
		for (let i = 0; i < RUNS + 1; i++) {
			await page.evaluate(() => performance.clearMarks())
			const cpu0 = descendantsCpuMs()
			const t0 = performance.now()
			const w0 = wall()
			const downloaded = page.waitForEvent('download', { timeout: 600_000 })
			await page.getByTestId('kb-export-png').click()
			const wClicked = wall()
			if (i === 0) {
				// What the facilitator sees meanwhile, to look at.
				await page.locator('[data-testid="kb-export-status"][data-state="busy"]').waitFor()
				await page.screenshot({ path: path.join(screenshotDir, 'export-progress.png') })
			}
			const download = await downloaded
			const wEvent = wall()
			const file = await download.path()
			menuRuns.push(performance.now() - t0)
			const wFile = wall()
			menuCpu.push(descendantsCpuMs() - cpu0)
			const marks = await page.evaluate(() =>
				performance
					.getEntriesByType('mark')
					.filter((m) => m.name.startsWith('kb-export:'))
					.map((m) => ({ name: m.name.slice('kb-export:'.length), at: performance.timeOrigin + m.startTime }))
			)
			const moments = [
				{ name: 'click() returned', at: wClicked },
				...marks,
				{ name: 'download event', at: wEvent },
				{ name: 'file', at: wFile },
			].sort((a, b) => a.at - b.at)
			let last = w0
			breakdowns.push(
				`${i === 0 ? 'cold' : `warm ${i}`} (CPU ${(menuCpu[i] / 1000).toFixed(2)} s): ${moments
					.map((m) => {
						const part = `${m.name} +${Math.round(m.at - last)}`
						last = m.at
						return part
					})
					.join(' · ')} ms`
			)
			size = (await page.getByTestId('kb-export-status').textContent()) ?? ''
			if (file && i === RUNS) copyFileSync(file, path.join(KEEP_DIR, `board-${NOTE_COUNT}-notes.png`))
		}
		for (const line of breakdowns) console.log(`  ${line}`)
		const [menuCold, ...menuWarm] = menuRuns
		console.log(
			`menu PNG (click → file): cold ${(menuCold / 1000).toFixed(2)} s · warm median ${(median(menuWarm) / 1000).toFixed(2)} s ` +
				`(min ${(Math.min(...menuWarm) / 1000).toFixed(2)}, max ${(Math.max(...menuWarm) / 1000).toFixed(2)}, ${RUNS} runs) · ${size.replace(/^.*\(/, '(')}`
		)

		const [cpuCold, ...cpuWarm] = menuCpu
		console.log(
			`menu PNG, CPU time of Chromium and the server: cold ${(cpuCold / 1000).toFixed(2)} s · warm median ` +
				`${(median(cpuWarm) / 1000).toFixed(2)} s (min ${(Math.min(...cpuWarm) / 1000).toFixed(2)}, max ${(Math.max(...cpuWarm) / 1000).toFixed(2)})`
		)

		if (values['menu-only']) {
			await user.close()
			return
		}
		// Now against tldraw's own pipeline (`editor.toImage`: no style-read cache, inline styles, its note shadow
		// filters), interleaved, at the same pixel ratio; the pictures must be the same but for the notes' shadows
		// (within 24 levels, see note-shadows.ts).
		const pipeline = (current: boolean) =>
			page.evaluate(async (current) => {
				const handle = (
					window as never as {
						__kompasbord: {
							editor: any
							renderImage(o: object): Promise<{ blob: Blob; pixelRatio: number }>
						}
					}
				).__kompasbord
				const editor = handle.editor
				const t0 = performance.now()
				let blob: Blob
				if (current) blob = (await handle.renderImage({ format: 'png', target: { kind: 'board' } })).blob
				else {
					const ids = editor.getSortedChildIdsForParent(editor.getCurrentPageId())
					const bounds = editor.getCurrentPageBounds()
					const pixelRatio = Math.min(2, 8192 / (Math.max(bounds.w, bounds.h) + 64))
					const image = await editor.toImage(ids, {
						format: 'png',
						pixelRatio,
						background: true,
						darkMode: false,
						padding: 32,
					})
					blob = image.blob
				}
				const ms = performance.now() - t0
				const bitmap = await createImageBitmap(blob)
				const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
				const context = canvas.getContext('2d')!
				context.drawImage(bitmap, 0, 0)
				const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data
				// The most one channel differs from the last image of the other pipeline.
				const kept = window as never as { __kbBenchPixels?: Uint8ClampedArray }
				let most = -1
				const last = kept.__kbBenchPixels
				if (last && last.length === pixels.length) {
					most = 0
					for (let i = 0; i < pixels.length; i++) {
						const d = Math.abs(pixels[i] - last[i])
						if (d > most) most = d
					}
				}
				kept.__kbBenchPixels = pixels
				return { ms, most, size: `${bitmap.width}×${bitmap.height}` }
			}, current)
		const times: Record<'before' | 'now', number[]> = { before: [], now: [] }
		let most = -1
		const sizes = new Set<string>()
		for (let i = 0; i < RUNS; i++) {
			for (const current of [false, true]) {
				const r = await pipeline(current)
				times[current ? 'now' : 'before'].push(r.ms)
				sizes.add(r.size)
				most = Math.max(most, r.most)
			}
		}
		const summary = (xs: number[]) =>
			`median ${(median(xs) / 1000).toFixed(2)} s (min ${(Math.min(...xs) / 1000).toFixed(2)}, max ${(Math.max(...xs) / 1000).toFixed(2)})`
		const same = sizes.size === 1 && most >= 0 && most <= 24
		console.log(
			`renderBoardImage PNG, ${RUNS} runs each, interleaved: now ${summary(times.now)} · tldraw's pipeline ` +
				`${summary(times.before)} · ${same ? `same picture (shadows within ${most} levels)` : `PICTURES DIFFER (${most} levels, ${[...sizes].join(' / ')})`} · load average ${os
					.loadavg()
					.map((l) => l.toFixed(1))
					.join(' ')}`
		)
		if (!same) process.exitCode = 1

		for (const format of values.raw ? (['png', 'svg'] as const) : []) {
			const started = performance.now()
			const cold = await exportOnce(format)
			const warm: number[] = []
			let last = cold
			for (let i = 0; i < RUNS; i++) {
				last = await exportOnce(format)
				warm.push(last.ms)
			}
			console.log(
				`editor.${format === 'png' ? 'toImage 2×' : 'getSvgString'} (no cap): cold ${(cold.ms / 1000).toFixed(2)} s · warm median ${(median(warm) / 1000).toFixed(2)} s ` +
					`(min ${(Math.min(...warm) / 1000).toFixed(2)}, max ${(Math.max(...warm) / 1000).toFixed(2)}, ${RUNS} runs) · ` +
					`${last.width}×${last.height} units · ${(last.bytes / 1e6).toFixed(1)} MB · wall ${((performance.now() - started) / 1000).toFixed(1)} s`
			)
		}
		await user.close()
	} finally {
		await browser.close()
		await server.stop()
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error)
		process.exit(1)
	}
)
