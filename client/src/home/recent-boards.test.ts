import { describe, expect, it } from 'vitest'
import type { KeyValueStorage } from '../i18n'
import {
	MAX_RECENT_BOARDS,
	RECENT_BOARDS_KEY,
	forgetBoard,
	readRecentBoards,
	rememberBoard,
	sameOriginPath,
	type RecentBoard,
} from './recent-boards'

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage {
	const data = new Map(Object.entries(initial))
	return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

const board = (roomId: string, createdAt = 1): RecentBoard => ({
	roomId,
	title: `Bord ${roomId}`,
	templateId: 'blanco',
	joinCode: 'ABC123',
	createdAt,
	links: {
		board: `http://h/b/${roomId}`,
		facilitator: `http://h/b/${roomId}#key=k`,
		join: `http://h/j/${roomId}`,
		view: `http://h/b/${roomId}?view=1`,
	},
})

describe('recent boards', () => {
	it('keeps the newest first, without duplicates, up to the maximum', () => {
		const storage = memoryStorage()
		rememberBoard(storage, board('a'))
		rememberBoard(storage, board('b'))
		rememberBoard(storage, board('a', 2))
		expect(readRecentBoards(storage).map((b) => [b.roomId, b.createdAt])).toEqual([
			['a', 2],
			['b', 1],
		])
		for (let i = 0; i < MAX_RECENT_BOARDS + 3; i++) rememberBoard(storage, board(`r${i}`))
		expect(readRecentBoards(storage)).toHaveLength(MAX_RECENT_BOARDS)
		expect(forgetBoard(storage, `r${MAX_RECENT_BOARDS + 2}`)).toHaveLength(MAX_RECENT_BOARDS - 1)
	})

	it('ignores damaged storage', () => {
		expect(readRecentBoards(memoryStorage({ [RECENT_BOARDS_KEY]: '{' }))).toEqual([])
		expect(
			readRecentBoards(memoryStorage({ [RECENT_BOARDS_KEY]: JSON.stringify([{ roomId: 1 }, board('ok')]) }))
		).toEqual([board('ok')])
		expect(readRecentBoards(null)).toEqual([])
	})

	it('turns same-origin links into paths', () => {
		expect(sameOriginPath('http://h:8080/b/x#key=k', 'http://h:8080')).toBe('/b/x#key=k')
		expect(sameOriginPath('/b/x?view=1', 'http://h:8080')).toBe('/b/x?view=1')
		expect(sameOriginPath('http://192.168.1.2:8080/b/x', 'http://localhost:8080')).toBeNull()
	})
})
