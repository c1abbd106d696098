import { describe, expect, it } from 'vitest'
import type { RecentBoard } from '../home/recent-boards'
import { carriedOrigin } from './carried-origin'

const ORIGIN = 'https://kompas.example'
const ambities: RecentBoard = {
	roomId: 'amb1',
	title: 'Ambities Zwolle',
	templateId: 'ambities',
	joinCode: 'ABC123',
	links: {
		board: `${ORIGIN}/b/amb1`,
		facilitator: `${ORIGIN}/b/amb1#key=geheim`,
		join: `${ORIGIN}/j/ABC123`,
		view: `${ORIGIN}/b/amb1#view=v1.x`,
	},
	createdAt: 1,
}

describe('carriedOrigin', () => {
	it('names the earlier board and links to it when this browser holds its facilitator link', () => {
		const meta = { kind: 'note', carriedFromRoom: 'amb1', carriedFromNote: 'shape:a', carriedFromTitle: 'Ambities' }
		expect(carriedOrigin(meta, [ambities], ORIGIN)).toEqual({
			roomId: 'amb1',
			title: 'Ambities',
			link: '/b/amb1#key=geheim',
		})
		expect(carriedOrigin(meta, [], ORIGIN)).toEqual({ roomId: 'amb1', title: 'Ambities', link: null })
	})

	it('takes the remembered title when the note has none, and no link to another site', () => {
		expect(carriedOrigin({ carriedFromRoom: 'amb1' }, [ambities], ORIGIN)?.title).toBe('Ambities Zwolle')
		const foreign = { ...ambities, links: { ...ambities.links, facilitator: 'https://elders.example/b/amb1#key=x' } }
		expect(carriedOrigin({ carriedFromRoom: 'amb1', carriedFromTitle: 'A' }, [foreign], ORIGIN)?.link).toBeNull()
	})

	it('is null for a note that was not carried', () => {
		for (const meta of [undefined, null, {}, { kind: 'note' }, { carriedFromRoom: 7 }, { carriedFromRoom: '' }]) {
			expect(carriedOrigin(meta, [ambities], ORIGIN)).toBeNull()
		}
	})
})
