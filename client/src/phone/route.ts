/** The phone page's two views: the code form (with a code from the QR link, joined at once), or a room. */
export type PhoneRoute = { view: 'join'; code: string | null } | { view: 'room'; roomId: string }

/** Join-code alphabet and length, as the server makes them (no 0/O, 1/I/L look-alikes). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const CODE_LENGTH = 6

/** What the person typed as a code, normalised (case, spaces, dashes); null when it cannot be a code. */
export function normalizeCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '')
	if (code.length !== CODE_LENGTH) return null
	for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null
	return code
}

/**
 * What the path asks for: `/j/<joinCode>` (the QR code's link) joins with that code, `/j/:roomId` is a room
 * this phone joined, anything else (`/j`, `/j?code=…`) the code form.
 */
export function parsePhonePath(pathname: string, search = ''): PhoneRoute {
	const match = /^\/j\/([^/?#]+)\/?$/.exec(pathname)
	if (!match) return { view: 'join', code: normalizeCode(new URLSearchParams(search).get('code') ?? '') }
	let segment: string
	try {
		segment = decodeURIComponent(match[1])
	} catch {
		return { view: 'join', code: null }
	}
	const code = normalizeCode(segment)
	return code ? { view: 'join', code } : { view: 'room', roomId: segment }
}
