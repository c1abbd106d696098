import { create } from 'qrcode'

/** A QR code as one SVG path: dark modules as unit squares, in module coordinates. */
export interface QrPath {
	/** Modules per side (without the quiet zone). */
	size: number
	/** SVG path data of the dark modules. */
	d: string
}

/**
 * Encodes `text` as a QR code (error correction M: survives a glare spot on a projector screen) and draws it
 * locally as SVG path data — no image service, no network.
 */
export function qrPath(text: string): QrPath {
	const { modules } = create(text, { errorCorrectionLevel: 'M' })
	const parts: string[] = []
	for (let row = 0; row < modules.size; row++) {
		let col = 0
		while (col < modules.size) {
			if (!modules.get(row, col)) {
				col++
				continue
			}
			// One rectangle per horizontal run of dark modules keeps the path short.
			let end = col
			while (end < modules.size && modules.get(row, end)) end++
			parts.push(`M${col} ${row}h${end - col}v1h${col - end}z`)
			col = end
		}
	}
	return { size: modules.size, d: parts.join('') }
}

/** A join code for reading aloud and typing: `K7M2QX` → `K7M 2QX`. */
export function spacedCode(code: string): string {
	return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code
}
