import { describe, expect, it } from 'vitest'
import { parseServerSpec } from './server-spec'

describe('parseServerSpec', () => {
	it('reads the server and its extra environment; values keep their = : and spaces', () => {
		expect(parseServerSpec('reference')).toEqual({ kind: 'reference', env: {} })
		expect(parseServerSpec('ours:DURABILITY=power;NODE_FLAGS=--a=1 --b;URL=http://x:1/')).toEqual({
			kind: 'ours',
			env: { DURABILITY: 'power', NODE_FLAGS: '--a=1 --b', URL: 'http://x:1/' },
		})
	})

	it('starts another build of ours for base, and needs its dist for that', () => {
		expect(parseServerSpec('base:A=b', '/tmp/dist')).toEqual({
			kind: 'ours',
			env: { A: 'b' },
			launcher: '/tmp/dist/launch.mjs',
		})
		expect(() => parseServerSpec('base')).toThrow(/--base-dist/)
	})
})
