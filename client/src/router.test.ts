import { describe, expect, it } from 'vitest'
import { boardPath, matchRoute } from './router'

describe('matchRoute', () => {
	it('knows home, boards and nothing else', () => {
		expect(matchRoute('/')).toEqual({ name: 'home' })
		expect(matchRoute('')).toEqual({ name: 'home' })
		expect(matchRoute('/b/Ab12_-x')).toEqual({ name: 'board', roomId: 'Ab12_-x' })
		expect(matchRoute('/b/Ab12/')).toEqual({ name: 'board', roomId: 'Ab12' })
		expect(matchRoute('/b/')).toEqual({ name: 'not-found' })
		expect(matchRoute('/b/a/b')).toEqual({ name: 'not-found' })
		expect(matchRoute('/b/Ab12/lijst')).toEqual({ name: 'list', roomId: 'Ab12' })
		expect(matchRoute('/b/Ab12/lijst/')).toEqual({ name: 'list', roomId: 'Ab12' })
		expect(matchRoute('/b/Ab12/lijstje')).toEqual({ name: 'not-found' })
		expect(matchRoute('/b/%E0%A4%A')).toEqual({ name: 'not-found' })
		expect(matchRoute(`/b/${'x'.repeat(65)}`)).toEqual({ name: 'not-found' })
		expect(matchRoute('/elders')).toEqual({ name: 'not-found' })
	})

	it('builds board paths', () => {
		expect(boardPath('abc')).toBe('/b/abc')
		expect(matchRoute(boardPath('abc'))).toEqual({ name: 'board', roomId: 'abc' })
	})
})

describe('the traject route', () => {
	it('matches /t/:trajectId and nothing deeper', () => {
		expect(matchRoute('/t/abc_DEF-123')).toEqual({ name: 'traject', trajectId: 'abc_DEF-123' })
		expect(matchRoute('/t/abc/')).toEqual({ name: 'traject', trajectId: 'abc' })
		expect(matchRoute('/t/abc/x')).toEqual({ name: 'not-found' })
		expect(matchRoute('/t/%E0%A4%A')).toEqual({ name: 'not-found' })
		expect(matchRoute('/t/a.b')).toEqual({ name: 'not-found' })
	})
})
