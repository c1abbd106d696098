import { describe, expect, it } from 'vitest'
import { judgeChange, type PermissionContext } from './permissions'

const open: PermissionContext = { role: 'participant', phase: 'open', structureLocked: true }
const frame = { id: 'shape:kb-dos', typeName: 'shape', type: 'frame', x: 0, meta: { kind: 'structure', zoneId: 'dos' } }
const note = { id: 'shape:n1', typeName: 'shape', type: 'note', x: 0, meta: {} }

describe('judgeChange', () => {
	it('gives a verdict, not an exception, on values JSON cannot hold (a BigInt, nesting too deep)', () => {
		let deep: unknown = []
		for (let i = 0; i < 100_000; i++) deep = [deep]
		for (const odd of [12n, deep]) {
			const claim = { ...note, id: 'shape:n2', meta: { kind: 'note', zoneId: odd } }
			expect(judgeChange(open, { map: 'tldraw', key: claim.id, oldValue: undefined, newValue: claim })).toBe(
				'server-owned'
			)
			const before = { ...note, props: { richText: { type: 'doc', content: [] } } }
			const after = { ...before, props: { richText: { type: 'doc', content: [odd] } } }
			expect(
				judgeChange(
					{ ...open, identity: 'p1', ownerOf: () => 'p2' },
					{ map: 'tldraw', key: note.id, oldValue: before, newValue: after }
				)
			).toBe('not-your-note')
		}
	})

	it('lets the facilitator change anything', () => {
		const ctx = { ...open, role: 'facilitator' as const }
		expect(judgeChange(ctx, { map: 'tldraw', key: frame.id, oldValue: frame, newValue: undefined })).toBeNull()
		expect(judgeChange(ctx, { map: 'session', key: 'phase', oldValue: 'open', newValue: 'voting' })).toBeNull()
	})

	it('refuses participants structure changes while locked, and allows them when unlocked', () => {
		const moved = { ...frame, x: 100 }
		expect(judgeChange(open, { map: 'tldraw', key: frame.id, oldValue: frame, newValue: moved })).toBe(
			'structure-locked'
		)
		expect(judgeChange(open, { map: 'tldraw', key: frame.id, oldValue: frame, newValue: undefined })).toBe(
			'structure-locked'
		)
		const disguised = { ...note, meta: { kind: 'structure' } }
		expect(judgeChange(open, { map: 'tldraw', key: note.id, oldValue: note, newValue: disguised })).toBe(
			'structure-locked'
		)
		expect(
			judgeChange(
				{ ...open, structureLocked: false },
				{ map: 'tldraw', key: frame.id, oldValue: frame, newValue: moved }
			)
		).toBeNull()
	})

	it('refuses participants the session, the votes, the schema, the document and the page', () => {
		expect(judgeChange(open, { map: 'session', key: 'phase', oldValue: 'open', newValue: 'closed' })).toBe(
			'server-owned'
		)
		expect(judgeChange(open, { map: 'votes', key: 'shape:n1', oldValue: undefined, newValue: 99 })).toBe('server-owned')
		expect(judgeChange(open, { map: 'meta', key: 'schema', oldValue: {}, newValue: {} })).toBe('server-owned')
		const page = { id: 'page:page', typeName: 'page', name: 'x' }
		expect(judgeChange(open, { map: 'tldraw', key: page.id, oldValue: page, newValue: undefined })).toBe('server-owned')
	})

	it('lets participants make and edit notes, except new canvas notes in private writing', () => {
		expect(judgeChange(open, { map: 'tldraw', key: note.id, oldValue: undefined, newValue: note })).toBeNull()
		expect(judgeChange(open, { map: 'tldraw', key: note.id, oldValue: note, newValue: { ...note, x: 5 } })).toBeNull()
		const priv = { ...open, phase: 'private' as const }
		expect(judgeChange(priv, { map: 'tldraw', key: note.id, oldValue: undefined, newValue: note })).toBe(
			'private-writing'
		)
		expect(judgeChange(priv, { map: 'tldraw', key: note.id, oldValue: note, newValue: { ...note, x: 5 } })).toBeNull()
	})

	it('refuses everything once the session is closed, and everything from viewers', () => {
		const closed = { ...open, phase: 'closed' as const }
		expect(judgeChange(closed, { map: 'tldraw', key: note.id, oldValue: note, newValue: { ...note, x: 5 } })).toBe(
			'session-closed'
		)
		expect(
			judgeChange({ ...open, role: 'viewer' }, { map: 'tldraw', key: note.id, oldValue: undefined, newValue: note })
		).toBe('read-only')
	})
})

describe('judgeChange: zones, note ownership, moderation', () => {
	const ctx: PermissionContext = {
		...open,
		structureLocked: false,
		identity: 'anna',
		ownerOf: (id) => (id === note.id ? 'bert' : undefined),
		retiredNoteIds: new Set(['shape:hidden']),
	}
	const rich = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

	it('never lets a participant make structure or claim a zone, even while unlocked', () => {
		const mine = { id: 'shape:f', typeName: 'shape', type: 'frame', meta: {} }
		expect(
			judgeChange(ctx, {
				map: 'tldraw',
				key: 'shape:f',
				oldValue: undefined,
				newValue: { ...mine, meta: { zoneId: 'dos' } },
			})
		).toBe('server-owned')
		expect(
			judgeChange(ctx, {
				map: 'tldraw',
				key: 'shape:f',
				oldValue: mine,
				newValue: { ...mine, meta: { kind: 'structure' } },
			})
		).toBe('server-owned')
		expect(judgeChange(ctx, { map: 'tldraw', key: frame.id, oldValue: frame, newValue: { ...frame, x: 5 } })).toBeNull()
		expect(
			judgeChange(ctx, {
				map: 'tldraw',
				key: frame.id,
				oldValue: frame,
				newValue: { ...frame, meta: { ...frame.meta, zoneId: 'x' } },
			})
		).toBe('server-owned')
	})

	it("lets a participant move another's note but not change its text or delete it", () => {
		const withText = { ...note, props: { richText: rich('van Bert') } }
		expect(
			judgeChange(ctx, { map: 'tldraw', key: note.id, oldValue: withText, newValue: { ...withText, x: 9 } })
		).toBeNull()
		expect(
			judgeChange(ctx, {
				map: 'tldraw',
				key: note.id,
				oldValue: withText,
				newValue: { ...withText, props: { richText: rich('x') } },
			})
		).toBe('not-your-note')
		expect(judgeChange(ctx, { map: 'tldraw', key: note.id, oldValue: withText, newValue: undefined })).toBe(
			'not-your-note'
		)
		expect(
			judgeChange(
				{ ...ctx, identity: 'bert' },
				{ map: 'tldraw', key: note.id, oldValue: withText, newValue: undefined }
			)
		).toBeNull()
	})

	it('refuses hidden notes and new shapes with text during private writing', () => {
		const hidden = { ...note, id: 'shape:hidden' }
		expect(judgeChange(ctx, { map: 'tldraw', key: hidden.id, oldValue: undefined, newValue: hidden })).toBe('moderated')
		const priv = { ...ctx, phase: 'private' as const }
		const geo = { id: 'shape:g', typeName: 'shape', type: 'geo', meta: {}, props: { richText: rich('geheim') } }
		expect(judgeChange(priv, { map: 'tldraw', key: geo.id, oldValue: undefined, newValue: geo })).toBe(
			'private-writing'
		)
		const empty = { ...geo, props: { richText: rich('') } }
		expect(judgeChange(priv, { map: 'tldraw', key: geo.id, oldValue: undefined, newValue: empty })).toBeNull()
		expect(judgeChange(priv, { map: 'tldraw', key: geo.id, oldValue: empty, newValue: geo })).toBe('private-writing')
	})

	it('refuses new notes, new text and text changes of participants while screening is on; moves, the facilitator and deletes of own notes pass', () => {
		const screening = { ...ctx, screening: true, identity: 'anna', ownerOf: () => 'anna' }
		const own = { ...note, id: 'shape:own', props: { richText: rich('van Anna') } }
		expect(judgeChange(screening, { map: 'tldraw', key: 'shape:new', oldValue: undefined, newValue: note })).toBe(
			'screening'
		)
		const text = { id: 'shape:t', typeName: 'shape', type: 'text', meta: {}, props: { richText: rich('langs de rij') } }
		expect(judgeChange(screening, { map: 'tldraw', key: text.id, oldValue: undefined, newValue: text })).toBe(
			'screening'
		)
		const changed = { ...own, props: { richText: rich('iets anders') } }
		expect(judgeChange(screening, { map: 'tldraw', key: own.id, oldValue: own, newValue: changed })).toBe('screening')
		expect(
			judgeChange(screening, { map: 'tldraw', key: own.id, oldValue: own, newValue: { ...own, x: 40 } })
		).toBeNull()
		expect(judgeChange(screening, { map: 'tldraw', key: own.id, oldValue: own, newValue: undefined })).toBeNull()
		const facilitator = { ...screening, role: 'facilitator' as const }
		expect(
			judgeChange(facilitator, { map: 'tldraw', key: 'shape:new', oldValue: undefined, newValue: note })
		).toBeNull()
		// Private writing wins: its own reason.
		expect(
			judgeChange(
				{ ...screening, phase: 'private' },
				{ map: 'tldraw', key: 'shape:new', oldValue: undefined, newValue: note }
			)
		).toBe('private-writing')
	})
})
