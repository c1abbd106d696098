import type { Page } from 'playwright-core'
import type { UserContext } from './browser'
import { waitFor } from './wait-for'

/**
 * Helpers for end-to-end tests that drive a board page (`/b/<roomId>`). The board exposes
 * `window.__kompasbord = { editor, doc, provider, role }` and a `data-testid="connection-state"` badge whose
 * `data-state` is `connecting`, `connected`, `reconnecting` or `offline`.
 */

/** A record as tldraw stores it (only the fields the helpers read are typed). */
export interface BoardRecord {
	id: string
	typeName: string
	[key: string]: unknown
}

/** A shape on the board, with its text as plain text. */
export interface BoardShape {
	id: string
	type: string
	x: number
	y: number
	parentId: string
	text: string
	meta: Record<string, unknown>
}

/** A collaborator as the board's editor sees it (tldraw `instance_presence`). */
export interface BoardCollaborator {
	userId: string
	userName: string
	color: string
}

/** Options of {@link openBoard}. */
export interface OpenBoardOptions {
	/** Answer the first-visit name prompt with this name ("Later" when not given). */
	name?: string
	/** Extra query, or a hash such as `#key=...` (facilitator) or `#view=<viewToken>` (view link). */
	suffix?: string
	/** A participant board: join with this code (`#code=<joinCode>`, as the room's board link does). */
	joinCode?: string
	/** Failure bound for the board to connect, in ms (default 45 000). */
	timeout?: number
}

/** Waits until the page's connection badge shows `state`. */
export async function waitForConnectionState(page: Page, state: string, timeout = 45_000): Promise<void> {
	await page.locator(`[data-testid="connection-state"][data-state="${state}"]`).waitFor({ timeout })
}

/**
 * Opens `/b/<roomId>` in a new tab of `user`, waits until the board is synced with the server and the editor is
 * mounted, and answers the name prompt.
 */
export async function openBoard(
	user: UserContext,
	baseUrl: string,
	roomId: string,
	options: OpenBoardOptions = {}
): Promise<Page> {
	const timeout = options.timeout ?? 45_000
	const page = await user.newPage()
	const suffix = options.suffix ?? (options.joinCode ? `#code=${options.joinCode}` : '')
	await page.goto(`${baseUrl}/b/${encodeURIComponent(roomId)}${suffix}`)
	await waitForConnectionState(page, 'connected', timeout)
	await page.waitForFunction(() => Boolean((window as unknown as KompasbordWindow).__kompasbord?.editor), null, {
		timeout,
	})
	const prompt = page.getByTestId('name-prompt')
	if (await prompt.isVisible()) {
		if (options.name) {
			await page.getByTestId('name-input').fill(options.name)
			await page.getByTestId('name-save').click()
		} else {
			await page.getByTestId('name-later').click()
		}
		await prompt.waitFor({ state: 'detached', timeout })
	}
	return page
}

/** The part of `window` the board exposes, as far as these helpers use it. */
interface KompasbordWindow {
	__kompasbord?: {
		editor: {
			getCurrentPageShapes(): Array<{
				id: string
				type: string
				x: number
				y: number
				parentId: string
				props: Record<string, unknown>
				meta: Record<string, unknown>
			}>
			getCollaborators(): Array<{ userId: string; userName: string; color: string }>
			getCurrentToolId(): string
			createShape(shape: Record<string, unknown>): unknown
			store: { serialize(scope: 'document'): Record<string, BoardRecord> }
			zoomToFit(options?: Record<string, unknown>): unknown
			getViewportPageBounds(): { x: number; y: number; w: number; h: number }
			pageToViewport(point: { x: number; y: number }): { x: number; y: number }
		}
	}
}

/** Every shape on the board's current page, with note and text content as plain text. */
export async function boardShapes(page: Page): Promise<BoardShape[]> {
	return page.evaluate(() => {
		const editor = (window as unknown as KompasbordWindow).__kompasbord!.editor
		const plain = (node: unknown): string => {
			if (!node || typeof node !== 'object') return ''
			const n = node as { type?: string; text?: string; content?: unknown[] }
			if (n.type === 'text') return n.text ?? ''
			const parts = (n.content ?? []).map(plain)
			return n.type === 'doc' ? parts.join('\n') : parts.join('')
		}
		return editor.getCurrentPageShapes().map((shape) => ({
			id: shape.id,
			type: shape.type,
			x: shape.x,
			y: shape.y,
			parentId: shape.parentId,
			text: plain(shape.props.richText),
			meta: shape.meta,
		}))
	})
}

/** The notes on the board whose text is exactly `text`. */
export async function notesWithText(page: Page, text: string): Promise<BoardShape[]> {
	return (await boardShapes(page)).filter((shape) => shape.type === 'note' && shape.text === text)
}

/**
 * Waits until the board holds exactly one note with text `text` and returns it.
 * @param timeout - failure bound in ms (default 20 000)
 */
export async function waitForNote(page: Page, text: string, timeout = 20_000): Promise<BoardShape> {
	let found: BoardShape[] = []
	try {
		return await waitFor(
			async () => {
				found = await notesWithText(page, text)
				return found.length === 1 ? found[0] : null
			},
			{ timeout, message: `one note "${text}"` }
		)
	} catch (error) {
		if (found.length > 1) throw new Error(`expected one note "${text}", found ${found.length}`, { cause: error })
		throw error
	}
}

/** The document-scope records of the board (document, pages, shapes, bindings, assets), keyed by id. */
export async function boardDocument(page: Page): Promise<Record<string, BoardRecord>> {
	return page.evaluate(() => (window as unknown as KompasbordWindow).__kompasbord!.editor.store.serialize('document'))
}

/** The other people on the board, as this page's editor sees them. */
export async function boardCollaborators(page: Page): Promise<BoardCollaborator[]> {
	return page.evaluate(() =>
		(window as unknown as KompasbordWindow)
			.__kompasbord!.editor.getCollaborators()
			.map((c) => ({ userId: c.userId, userName: c.userName, color: c.color }))
	)
}

/**
 * Writes a sticky note the way a user does: the note tool from tldraw's toolbar, a click on the canvas at the
 * given viewport point, typing, Escape.
 */
export async function createNoteViaUi(page: Page, text: string, at: { x: number; y: number }): Promise<void> {
	await page.getByTestId('tools.note').click()
	await page.waitForFunction(
		() => (window as unknown as KompasbordWindow).__kompasbord!.editor.getCurrentToolId() === 'note',
		null,
		{ timeout: 20_000 }
	)
	await page.mouse.click(at.x, at.y)
	// The click creates the note and opens its text editor; type only once that editor has the focus.
	await page.waitForFunction(
		() => {
			const active = document.activeElement as HTMLElement | null
			return Boolean(active?.isContentEditable && active.closest('.tl-shape'))
		},
		null,
		{ timeout: 20_000 }
	)
	await page.keyboard.type(text)
	await page.keyboard.press('Escape')
}

/**
 * Creates a note through the editor API (`editor.createShape`), with `props.richText` in the form tldraw's
 * `toRichText(text)` gives for one line of text.
 */
export async function createNoteViaEditor(page: Page, text: string, at: { x: number; y: number }): Promise<void> {
	await page.evaluate(
		({ text, at }) => {
			const richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
			;(window as unknown as KompasbordWindow).__kompasbord!.editor.createShape({
				type: 'note',
				x: at.x,
				y: at.y,
				props: { richText },
			})
		},
		{ text, at }
	)
}

/** The viewport centre of the canvas. */
export async function canvasCentre(page: Page): Promise<{ x: number; y: number }> {
	const box = await page.locator('.tl-canvas').boundingBox()
	if (!box) throw new Error('the tldraw canvas is not on the page')
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}
