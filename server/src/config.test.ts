import { describe, expect, it } from 'vitest'
import { loadConfig } from './config'

describe('DURABILITY', () => {
	it('is crash by default, and power or crash when set', () => {
		expect(loadConfig({}).durability).toBe('crash')
		expect(loadConfig({ DURABILITY: 'power' }).durability).toBe('power')
		expect(loadConfig({ DURABILITY: ' Crash ' }).durability).toBe('crash')
		expect(() => loadConfig({ DURABILITY: 'fsync' })).toThrow(/DURABILITY must be crash or power/)
	})

	it('takes the older SQLITE_SYNCHRONOUS when DURABILITY is not set: FULL is power, NORMAL is crash', () => {
		expect(loadConfig({ SQLITE_SYNCHRONOUS: 'FULL' }).durability).toBe('power')
		expect(loadConfig({ SQLITE_SYNCHRONOUS: 'normal' }).durability).toBe('crash')
		expect(loadConfig({ SQLITE_SYNCHRONOUS: 'FULL', DURABILITY: 'crash' }).durability).toBe('crash')
		expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS must be FULL or NORMAL/)
	})
})
