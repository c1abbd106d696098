/**
 * Saves a blob as a file through the browser's download (an object URL on a temporary `<a download>`).
 * The URL is revoked once the click has been handled.
 */
export function saveBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob)
	const link = document.createElement('a')
	link.href = url
	link.download = fileName
	link.rel = 'noopener'
	link.style.display = 'none'
	document.body.appendChild(link)
	link.click()
	link.remove()
	setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header; null when there is none. */
export function dispositionFileName(header: string | null): string | null {
	if (!header) return null
	const match = /filename="([^"]+)"/i.exec(header)
	return match ? match[1] : null
}
