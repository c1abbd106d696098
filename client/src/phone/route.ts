/** The phone page's two views. */
export type PhoneRoute = { view: 'join' } | { view: 'room'; roomId: string }

/** What the path asks for: `/j/:roomId` a room, anything else (`/j`) the code form. */
export function parsePhonePath(pathname: string): PhoneRoute {
	const match = /^\/j\/([^/?#]+)\/?$/.exec(pathname)
	if (!match) return { view: 'join' }
	try {
		return { view: 'room', roomId: decodeURIComponent(match[1]) }
	} catch {
		return { view: 'join' }
	}
}
