import { describe, expect, it } from 'vitest'
import { NoteOwners } from './note-owners'

describe('NoteOwners', () => {
	it('records and replaces a note’s author', () => {
		const owners = new NoteOwners()
		expect(owners.get('shape:a')).toBeUndefined()
		owners.set('shape:a', 'p1')
		owners.set('shape:b', 'p1')
		expect(owners.get('shape:a')).toBe('p1')
		owners.set('shape:a', 'p2')
		expect(owners.get('shape:a')).toBe('p2')
		expect(owners.get('shape:b')).toBe('p1')
		expect(owners.size).toBe(2)
	})

	it('adds the ledger’s authors of notes on the board and off it, without replacing what the room learnt since it loaded', () => {
		const owners = new NoteOwners()
		owners.set('shape:moved-by-rest', 'p9')
		owners.addFromLedger(
			[
				{ noteId: 'shape:on-board', participantId: 'p1' },
				{ noteId: 'shape:held', participantId: 'p2' },
				{ noteId: 'shape:moved-by-rest', participantId: 'p3' },
			],
			['document:document', 'page:page', 'shape:on-board', 'shape:moved-by-rest']
		)
		expect(owners.get('shape:on-board')).toBe('p1')
		expect(owners.get('shape:held')).toBe('p2')
		expect(owners.get('shape:moved-by-rest')).toBe('p9')
		expect(owners.has('page:page')).toBe(false)
		expect(owners.size).toBe(3)
	})

	it('reads no board keys when every entry is known already', () => {
		const owners = new NoteOwners()
		owners.set('shape:a', 'p1')
		const keys: Iterable<string> = {
			[Symbol.iterator]() {
				throw new Error('board keys read')
			},
		}
		expect(() => owners.addFromLedger([{ noteId: 'shape:a', participantId: 'p2' }], keys)).not.toThrow()
		expect(owners.get('shape:a')).toBe('p1')
	})
})
