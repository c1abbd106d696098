/**
 * Report downloads from the server (`/api/rooms/:roomId/export.<format>`, facilitator key as bearer token).
 * The Word report with the board image is a `POST` of the PNG the browser rendered; the others are `GET`s.
 *
 * @packageDocumentation
 */
import { dispositionFileName } from './download'

/** Report formats the server makes. */
export type ReportFormat = 'docx' | 'md' | 'csv' | 'json'

/** A downloaded report. */
export interface ReportFile {
	blob: Blob
	/** The server's file name (`kompasbord-<title>-<yyyy-mm-dd>.<ext>`). */
	fileName: string | null
}

/** Where to fetch a report. */
export interface ReportRequest {
	roomId: string
	facilitatorKey: string
	format: ReportFormat
	/** Report language; default the board's language (the server decides). */
	locale?: 'nl' | 'en'
	/** The server's origin; default this page's. */
	apiBase?: string
}

function reportUrl(request: ReportRequest): string {
	const query = request.locale ? `?lang=${request.locale}` : ''
	return `${request.apiBase ?? ''}/api/rooms/${encodeURIComponent(request.roomId)}/export.${request.format}${query}`
}

/** The `error.message` of a JSON error answer, else the status line. */
function errorMessage(status: number, statusText: string, body: string): string {
	try {
		const parsed = JSON.parse(body) as { error?: { message?: unknown } }
		if (typeof parsed.error?.message === 'string') return parsed.error.message
	} catch {
		// not JSON
	}
	return `${status} ${statusText}`.trim()
}

/** Fetches a report (`GET`). Throws with the server's message on an error answer. */
export async function fetchReport(request: ReportRequest): Promise<ReportFile> {
	const response = await fetch(reportUrl(request), {
		headers: { authorization: `Bearer ${request.facilitatorKey}` },
		cache: 'no-store',
	})
	if (!response.ok) throw new Error(errorMessage(response.status, response.statusText, await response.text()))
	return { blob: await response.blob(), fileName: dispositionFileName(response.headers.get('content-disposition')) }
}

/**
 * Sends the board image and gets the Word report with it back (`POST …/export.docx`, body `image/png`).
 * Uses XMLHttpRequest for its upload progress.
 * @param onUpload - called with the share of the image sent, 0–1
 */
export function fetchDocxWithImage(
	request: Omit<ReportRequest, 'format'>,
	png: Blob,
	onUpload?: (fraction: number) => void
): Promise<ReportFile> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest()
		xhr.open('POST', reportUrl({ ...request, format: 'docx' }))
		xhr.responseType = 'blob'
		xhr.setRequestHeader('authorization', `Bearer ${request.facilitatorKey}`)
		xhr.setRequestHeader('content-type', 'image/png')
		xhr.upload.onprogress = (event) => {
			if (event.lengthComputable && event.total > 0) onUpload?.(event.loaded / event.total)
		}
		xhr.onerror = () => reject(new Error('network error'))
		xhr.onload = async () => {
			const blob = xhr.response as Blob
			if (xhr.status !== 200) {
				reject(new Error(errorMessage(xhr.status, xhr.statusText, await blob.text())))
				return
			}
			resolve({ blob, fileName: dispositionFileName(xhr.getResponseHeader('content-disposition')) })
		}
		xhr.send(png)
	})
}

/**
 * Keeps the board's image on the server for its traject page and the traject report (`PUT
 * /api/rooms/:roomId/snapshot`, facilitator key). Best effort: a board whose image is not kept still exports.
 */
export async function keepBoardImage(request: Omit<ReportRequest, 'format' | 'locale'>, png: Blob): Promise<boolean> {
	try {
		const response = await fetch(`${request.apiBase ?? ''}/api/rooms/${encodeURIComponent(request.roomId)}/snapshot`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${request.facilitatorKey}`, 'content-type': 'image/png' },
			body: png,
		})
		return response.ok
	} catch {
		return false
	}
}
