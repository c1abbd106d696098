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
