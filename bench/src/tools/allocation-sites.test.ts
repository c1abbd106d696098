import { describe, expect, it } from 'vitest'
import { allocationSites, type SamplingNode, shortScriptName } from './allocation-sites'

const node = (functionName: string, url: string, lineNumber: number, selfSize: number, children: SamplingNode[] = []) =>
	({ callFrame: { functionName, url, lineNumber }, selfSize, id: 0, children }) satisfies SamplingNode

describe('allocationSites', () => {
	it('sums the sampled bytes per allocating frame across the tree, largest first', () => {
		const root = node('(root)', '', -1, 0, [
			node('apply', 'file:///repo/node_modules/.pnpm/yjs@13.6.33/node_modules/yjs/dist/yjs.mjs', 9, 100, [
				node('', 'file:///repo/server/dist/server.mjs', 0, 300),
			]),
			node('other', 'file:///repo/node_modules/.pnpm/yjs@13.6.33/node_modules/yjs/dist/yjs.mjs', 9, 0, [
				node('apply', 'file:///repo/node_modules/.pnpm/yjs@13.6.33/node_modules/yjs/dist/yjs.mjs', 9, 250),
			]),
		])
		expect(allocationSites(root, '/repo')).toEqual([
			{ site: 'apply yjs/dist/yjs.mjs:10', bytes: 350 },
			{ site: '(anonymous) server/dist/server.mjs:1', bytes: 300 },
		])
	})

	it('names node internals and files outside the repository as they are', () => {
		expect(shortScriptName('node:internal/streams/writable', '/repo')).toBe('node:internal/streams/writable')
		expect(shortScriptName('file:///elsewhere/x.mjs', '/repo')).toBe('/elsewhere/x.mjs')
		expect(shortScriptName('file:///repo/node_modules/ws/lib/sender.js', '/repo')).toBe('ws/lib/sender.js')
	})
})
