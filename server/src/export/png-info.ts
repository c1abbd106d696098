/** The 8-byte signature every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

/** Largest width or height accepted (PNG allows 2³¹−1; browsers never make canvases larger than this). */
const MAX_DIMENSION = 65_535

/**
 * Reads the pixel size of a PNG from its header (signature + IHDR chunk) without decoding it.
 * @returns null when `data` does not start like a PNG file or has an impossible size
 */
export function readPngSize(data: Uint8Array): { width: number; height: number } | null {
	if (data.length < 24) return null
	for (let i = 0; i < PNG_SIGNATURE.length; i++) if (data[i] !== PNG_SIGNATURE[i]) return null
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
	// The first chunk must be IHDR, 13 bytes long.
	if (view.getUint32(8) !== 13) return null
	if (String.fromCharCode(data[12], data[13], data[14], data[15]) !== 'IHDR') return null
	const width = view.getUint32(16)
	const height = view.getUint32(20)
	if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) return null
	return { width, height }
}
