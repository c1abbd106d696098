import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import type { Editor, TLShapeId } from 'tldraw'
import { exportFileName, localDate } from '@kompasbord/shared/export-file-name'
import { saveBlob } from './download'
import {
	DOCX_IMAGE_MAX_SIDE,
	frameTargets,
	renderBoardImage,
	type FrameTarget,
	type ImageFormat,
	type ImageTarget,
} from './image-export'
import { fetchDocxWithImage, fetchReport, keepBoardImage, type ReportFile, type ReportFormat } from './report-export'
import { EXPORT_STRINGS, type ExportLocale, type ExportStrings } from './strings'
import './export-menu.css'

/** Largest board PNG sent to be kept for the traject (the server takes up to 12 MB). */
const MAX_KEPT_IMAGE_BYTES = 12 * 1024 * 1024

/** Props of {@link ExportMenu}. */
export interface ExportMenuProps {
	/** The board's tldraw editor. */
	editor: Editor
	roomId: string
	/** The session title, for file names. */
	title: string
	/** The facilitator key; without it the menu offers only the board image (reports are facilitator only). */
	facilitatorKey?: string | null
	/** UI language (default Dutch); reports are written in it too. */
	locale?: ExportLocale
	/** The server's origin; default this page's. */
	apiBase?: string
}

/** What the status line shows while an export runs or after it. */
interface Status {
	kind: 'busy' | 'done' | 'error'
	text: string
	/** 0–1 when known; null shows an indeterminate bar. */
	progress: number | null
	startedAt: number
}

const REPORT_FORMATS: ReportFormat[] = ['docx', 'md', 'csv', 'json']

/**
 * The board's export menu: "Bord als afbeelding" (PNG at 2× for print, or SVG, of the whole board or one
 * frame/zone, made in the browser with tldraw's export) and, for the facilitator, "Verslag" (Word, Markdown,
 * CSV, JSON from the server; the Word report gets the board image the browser renders). Shows the stage and
 * elapsed time of a running export, with a progress bar, so a big board never looks stuck.
 */
export function ExportMenu({ editor, roomId, title, facilitatorKey, locale = 'nl', apiBase }: ExportMenuProps) {
	const s: ExportStrings = EXPORT_STRINGS[locale]
	const [open, setOpen] = useState(false)
	const [frames, setFrames] = useState<FrameTarget[]>([])
	const [target, setTarget] = useState<string>('board')
	const [status, setStatus] = useState<Status | null>(null)
	const [now, setNow] = useState(() => Date.now())
	const panelId = useId()
	const rootRef = useRef<HTMLDivElement>(null)
	const panelRef = useRef<HTMLDivElement>(null)
	const [anchor, setAnchor] = useState<{ top: number; right: number } | null>(null)
	const busy = status?.kind === 'busy'

	// The panel lives in a portal on <body>, above tldraw's own panels (its style panel would cover it), placed
	// under the button.
	useLayoutEffect(() => {
		if (!open) return
		const place = () => {
			const rect = rootRef.current?.getBoundingClientRect()
			if (rect) setAnchor({ top: rect.bottom + 6, right: Math.max(8, window.innerWidth - rect.right) })
		}
		place()
		window.addEventListener('resize', place)
		return () => window.removeEventListener('resize', place)
	}, [open])

	// Offer the frames on the board each time the menu opens; preselect a selected frame.
	useEffect(() => {
		if (!open) return
		const list = frameTargets(editor)
		setFrames(list)
		const selected = editor.getOnlySelectedShape()
		if (selected?.type === 'frame') setTarget(selected.id)
		else setTarget((current) => (current === 'board' || list.some((f) => f.frameId === current) ? current : 'board'))
	}, [open, editor])

	// Tick the elapsed time while busy.
	useEffect(() => {
		if (!busy) return
		const timer = setInterval(() => setNow(Date.now()), 250)
		return () => clearInterval(timer)
	}, [busy])

	// Close on Escape or a click outside, but never in the middle of an export.
	useEffect(() => {
		if (!open) return
		const onKey = (event: KeyboardEvent) => {
			if (event.key === 'Escape' && !busy) setOpen(false)
		}
		const onPointer = (event: PointerEvent) => {
			const target = event.target as Node
			if (busy || rootRef.current?.contains(target) || panelRef.current?.contains(target)) return
			setOpen(false)
		}
		window.addEventListener('keydown', onKey)
		window.addEventListener('pointerdown', onPointer, true)
		return () => {
			window.removeEventListener('keydown', onKey)
			window.removeEventListener('pointerdown', onPointer, true)
		}
	}, [open, busy])

	const imageTarget = useMemo<ImageTarget>(
		() => (target === 'board' ? { kind: 'board' } : { kind: 'frame', frameId: target as TLShapeId }),
		[target]
	)
	const targetTitle = useMemo(() => {
		const frame = frames.find((f) => f.frameId === target)
		return frame ? `${title} ${frame.zoneId ?? frame.label}` : title
	}, [frames, target, title])

	const run = useCallback(
		async (work: (update: (text: string, progress: number | null) => void) => Promise<string>) => {
			const startedAt = Date.now()
			setNow(startedAt)
			const update = (text: string, progress: number | null) => setStatus({ kind: 'busy', text, progress, startedAt })
			try {
				const fileName = await work(update)
				setStatus({ kind: 'done', text: s.done(fileName), progress: 1, startedAt })
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error)
				setStatus({
					kind: 'error',
					text: message === 'nothing to export' ? s.nothingToExport : s.failed(message),
					progress: null,
					startedAt,
				})
			}
		},
		[s]
	)

	const exportImage = (format: ImageFormat) =>
		run(async (update) => {
			performance.mark('kb-export:start')
			const image = await renderBoardImage(editor, {
				format,
				target: imageTarget,
				onProgress: (p) =>
					update(p.stage === 'collect' ? s.stageCollect(p.shapes) : s.stageRender, p.stage === 'collect' ? 0.1 : null),
			})
			update(s.stageSave, 0.95)
			const fileName = exportFileName(targetTitle, localDate(), format)
			performance.mark('kb-export:rendered')
			saveBlob(image.blob, fileName)
			performance.mark('kb-export:saved')
			// The whole board as PNG is also kept for the traject page (facilitators only; small enough to send).
			if (
				facilitatorKey &&
				format === 'png' &&
				imageTarget.kind === 'board' &&
				image.blob.size <= MAX_KEPT_IMAGE_BYTES
			) {
				void keepBoardImage({ roomId, facilitatorKey, apiBase }, image.blob)
			}
			if (format === 'svg') return fileName
			return `${fileName} (${Math.round(image.width * image.pixelRatio)} × ${Math.round(image.height * image.pixelRatio)} px)`
		})

	const exportReport = (format: ReportFormat) =>
		run(async (update) => {
			const key = facilitatorKey ?? ''
			let file: ReportFile
			if (format === 'docx') {
				const image = await renderBoardImage(editor, {
					format: 'png',
					target: { kind: 'board' },
					maxSide: DOCX_IMAGE_MAX_SIDE,
					onProgress: (p) =>
						update(
							p.stage === 'collect' ? s.stageCollect(p.shapes) : s.stageRender,
							p.stage === 'collect' ? 0.05 : null
						),
				})
				update(s.stageUpload(0), 0.5)
				void keepBoardImage({ roomId, facilitatorKey: key, apiBase }, image.blob)
				file = await fetchDocxWithImage({ roomId, facilitatorKey: key, locale, apiBase }, image.blob, (fraction) => {
					const percent = Math.round(fraction * 100)
					update(fraction >= 1 ? s.stageReport : s.stageUpload(percent), 0.5 + 0.4 * fraction)
				})
			} else {
				update(s.stageReport, null)
				file = await fetchReport({ roomId, facilitatorKey: key, format, locale, apiBase })
			}
			update(s.stageSave, 0.95)
			const fileName = file.fileName ?? exportFileName(title, localDate(), format)
			saveBlob(file.blob, fileName)
			return fileName
		})

	const elapsed = status ? Math.max(0, Math.round((now - status.startedAt) / 1000)) : 0

	const panel = (
		<div
			className="kb-export__panel"
			id={panelId}
			ref={panelRef}
			role="dialog"
			aria-label={s.title}
			data-testid="kb-export-panel"
			style={anchor ? { top: anchor.top, right: anchor.right } : undefined}
		>
			<section>
				<h2>{s.imageSection}</h2>
				<label className="kb-export__field">
					<span>{s.imageTarget}</span>
					<select
						value={target}
						disabled={busy}
						data-testid="kb-export-target"
						onChange={(event) => setTarget(event.target.value)}
					>
						<option value="board">{s.wholeBoard}</option>
						{frames.map((frame) => (
							<option key={frame.frameId} value={frame.frameId}>
								{frame.label}
							</option>
						))}
					</select>
				</label>
				<div className="kb-export__row">
					<button type="button" disabled={busy} data-testid="kb-export-png" onClick={() => void exportImage('png')}>
						{s.png} <small>{s.pngHint}</small>
					</button>
					<button type="button" disabled={busy} data-testid="kb-export-svg" onClick={() => void exportImage('svg')}>
						{s.svg}
					</button>
				</div>
			</section>
			{facilitatorKey && (
				<section>
					<h2>{s.reportSection}</h2>
					<p className="kb-export__hint">{s.reportHint}</p>
					<div className="kb-export__row kb-export__row--wrap">
						{REPORT_FORMATS.map((format) => (
							<button
								key={format}
								type="button"
								disabled={busy}
								data-testid={`kb-export-${format}`}
								onClick={() => void exportReport(format)}
							>
								{s[format]}
							</button>
						))}
					</div>
				</section>
			)}
			{status && (
				<div
					className={`kb-export__status kb-export__status--${status.kind}`}
					role="status"
					aria-live="polite"
					data-testid="kb-export-status"
					data-state={status.kind}
				>
					{status.kind === 'busy' && <progress max={1} value={status.progress ?? undefined} aria-label={status.text} />}
					<span>{status.text}</span>
					{status.kind === 'busy' && <span className="kb-export__elapsed">{s.seconds(elapsed)}</span>}
				</div>
			)}
		</div>
	)

	return (
		<div className="kb-export" ref={rootRef} data-testid="kb-export">
			<button
				type="button"
				className="kb-export__toggle"
				aria-expanded={open}
				aria-controls={panelId}
				data-testid="kb-export-button"
				onClick={() => setOpen((o) => !o)}
			>
				{s.button}
			</button>
			{open && anchor && createPortal(panel, document.body)}
		</div>
	)
}
