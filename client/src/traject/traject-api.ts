/**
 * The traject routes as the traject page uses them (`/api/trajects/…`, the traject key as bearer token), and
 * the trajects this browser knows (their keys, in localStorage on this device only).
 *
 * @packageDocumentation
 */
import type { CarryAnswer, CreatedRoom, CreatedTraject, TrajectInfo, TrajectOffers } from '@kompasbord/shared'
import { errorFromResponse } from '../api'
import type { KeyValueStorage } from '../i18n'

async function call<T>(path: string, key: string | null, init: RequestInit = {}): Promise<T> {
	const response = await fetch(path, {
		...init,
		cache: 'no-store',
		headers: {
			accept: 'application/json',
			...(init.body ? { 'content-type': 'application/json' } : {}),
			...(key ? { authorization: `Bearer ${key}` } : {}),
		},
	})
	if (!response.ok) throw await errorFromResponse(response)
	return (await response.json()) as T
}

const base = (trajectId: string) => `/api/trajects/${encodeURIComponent(trajectId)}`

/** `POST /api/trajects`. */
export function createTraject(title: string): Promise<CreatedTraject> {
	return call('/api/trajects', null, { method: 'POST', body: JSON.stringify({ title }) })
}

/** `GET /api/trajects/:id`. */
export function fetchTraject(trajectId: string, key: string, lang: 'nl' | 'en'): Promise<TrajectInfo> {
	return call(`${base(trajectId)}?lang=${lang}`, key)
}

/** `GET /api/trajects/:id/offers?templateId=|roomId=`. */
export function fetchOffers(
	trajectId: string,
	key: string,
	target: { templateId: string } | { roomId: string },
	lang: 'nl' | 'en'
): Promise<TrajectOffers> {
	const query =
		'templateId' in target
			? `templateId=${encodeURIComponent(target.templateId)}`
			: `roomId=${encodeURIComponent(target.roomId)}`
	return call(`${base(trajectId)}/offers?${query}&lang=${lang}`, key)
}

/** `POST /api/rooms` in the traject, carrying the chosen items. */
export function createBoardInTraject(
	trajectId: string,
	key: string,
	board: { templateId: string; title?: string; locale: 'nl' | 'en'; carry: string[] }
): Promise<CreatedRoom> {
	return call('/api/rooms', null, {
		method: 'POST',
		body: JSON.stringify({ ...board, trajectId, trajectKey: key }),
	})
}

/** `POST /api/trajects/:id/boards/:roomId/carry`. */
export function carryInto(trajectId: string, key: string, roomId: string, items: string[]): Promise<CarryAnswer> {
	return call(`${base(trajectId)}/boards/${encodeURIComponent(roomId)}/carry`, key, {
		method: 'POST',
		body: JSON.stringify({ items }),
	})
}

/** A board's kept image as an object URL (revoke it when done), or null when none is kept. */
export async function fetchBoardImage(trajectId: string, key: string, roomId: string): Promise<string | null> {
	const response = await fetch(`${base(trajectId)}/boards/${encodeURIComponent(roomId)}/snapshot.png`, {
		headers: { authorization: `Bearer ${key}` },
		cache: 'no-store',
	})
	if (!response.ok) return null
	return URL.createObjectURL(await response.blob())
}

/** The traject report (`export.docx` or `export.md`) as a file to save. */
export async function fetchTrajectReport(
	trajectId: string,
	key: string,
	format: 'docx' | 'md',
	lang: 'nl' | 'en'
): Promise<{ blob: Blob; fileName: string }> {
	const response = await fetch(`${base(trajectId)}/export.${format}?lang=${lang}`, {
		headers: { authorization: `Bearer ${key}` },
		cache: 'no-store',
	})
	if (!response.ok) throw await errorFromResponse(response)
	const disposition = response.headers.get('content-disposition') ?? ''
	const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `kompasbord-traject.${format}`
	return { blob: await response.blob(), fileName }
}

/** A traject this browser opened: its link (with the key) and title. */
export interface KnownTraject {
	trajectId: string
	title: string
	/** The traject page with the key in its hash. */
	link: string
	openedAt: number
}

/** localStorage key of the trajects this browser knows. */
export const KNOWN_TRAJECTS_KEY = 'kompasbord:trajects'
const MAX_KNOWN = 12

/** The trajects this browser knows, most recently opened first. */
export function readKnownTrajects(storage: KeyValueStorage | null): KnownTraject[] {
	try {
		const parsed: unknown = JSON.parse(storage?.getItem(KNOWN_TRAJECTS_KEY) ?? '[]')
		if (!Array.isArray(parsed)) return []
		return parsed.filter(
			(t): t is KnownTraject =>
				!!t &&
				typeof t.trajectId === 'string' &&
				typeof t.title === 'string' &&
				typeof t.link === 'string' &&
				typeof t.openedAt === 'number'
		)
	} catch {
		return []
	}
}

/** Remembers (or moves to the top) a traject. */
export function rememberTraject(storage: KeyValueStorage | null, traject: KnownTraject): void {
	const list = [traject, ...readKnownTrajects(storage).filter((t) => t.trajectId !== traject.trajectId)]
	try {
		storage?.setItem(KNOWN_TRAJECTS_KEY, JSON.stringify(list.slice(0, MAX_KNOWN)))
	} catch {
		// Not remembered: the link itself still works.
	}
}

/** The traject key in a page hash (`#key=…`), or null. */
export function keyFromHash(hash: string): string | null {
	const match = /(?:^#|&)key=([^&]+)/.exec(hash)
	return match ? decodeURIComponent(match[1]) : null
}
