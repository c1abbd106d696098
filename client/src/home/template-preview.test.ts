import { describe, expect, it } from 'vitest'
import type { TemplateSummary } from '@kompasbord/shared'
import { loadTemplatePreview, previewImageSource } from './template-preview'

const summary = (preview?: string): TemplateSummary => ({
	id: 'blanco',
	title: { nl: 'Blanco', en: 'Blank' },
	bouwsteen: null,
	zones: [{ id: 'notities', label: { nl: 'Notities', en: 'Notes' } }],
	preview,
})

describe('template previews', () => {
	it('uses the summary preview as an image data URL', () => {
		const src = previewImageSource(null, summary('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'))
		expect(src).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/)
	})

	it('refuses what is not SVG and survives a throwing preview function', () => {
		expect(previewImageSource(null, summary('<script>alert(1)</script>'))).toBeNull()
		expect(previewImageSource(null, summary())).toBeNull()
		expect(
			previewImageSource(() => {
				throw new Error('no')
			}, summary())
		).toBeNull()
		expect(previewImageSource(() => '<svg></svg>', summary())).toMatch(/^data:image\/svg\+xml/)
	})

	it("loads shared's templatePreviewSvg, which returns a summary's preview", async () => {
		const fn = await loadTemplatePreview()
		expect(typeof fn).toBe('function')
		expect(fn!(summary('<svg id="x"></svg>'))).toBe('<svg id="x"></svg>')
	})
})
