import { describe, expect, it } from 'vitest'
import { requireEsmBuild, requirePackage } from './require-package'

/** An ES module's namespace object (what `import *` gives) tags itself `Module`; a CommonJS `exports` does not. */
function isModuleNamespace(value: unknown): boolean {
	return Object.prototype.toString.call(value) === '[object Module]'
}

describe('requireEsmBuild', () => {
	it("loads a package's ES module build synchronously", () => {
		const esm = requireEsmBuild<typeof import('@tldraw/tlschema')>('@tldraw/tlschema', import.meta.url)
		expect(isModuleNamespace(esm)).toBe(true)
		expect(typeof esm.createTLSchema).toBe('function')
		// The CommonJS build, as requirePackage loads it, is another copy.
		const cjs = requirePackage<typeof import('@tldraw/tlschema')>('@tldraw/tlschema', import.meta.url)
		expect(isModuleNamespace(cjs)).toBe(false)
		expect(cjs.createTLSchema).not.toBe(esm.createTLSchema)
	})

	it('refuses a package without one', () => {
		expect(() => requireEsmBuild('better-sqlite3', import.meta.url)).toThrow('better-sqlite3 has no ES module build')
	})
})
