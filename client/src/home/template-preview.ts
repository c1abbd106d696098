import type { TemplateSummary } from '@kompasbord/shared'

/** `templatePreviewSvg` of `@kompasbord/shared`: an SVG picture of a template's board. */
export type TemplatePreviewFn = (template: TemplateSummary) => unknown

let loading: Promise<TemplatePreviewFn | null> | null = null

/**
 * Loads `templatePreviewSvg` from `@kompasbord/shared` in its own chunk (it carries the template layout code,
 * which the home page does not otherwise need). Only needed for summaries without a ready-made `preview`.
 * Resolves to null when shared does not export it.
 */
export function loadTemplatePreview(): Promise<TemplatePreviewFn | null> {
	loading ??= import('@kompasbord/shared')
		.then((shared) => {
			const candidate = (shared as Record<string, unknown>).templatePreviewSvg
			return typeof candidate === 'function' ? (candidate as TemplatePreviewFn) : null
		})
		.catch(() => null)
	return loading
}

/** Whether a summary comes with its SVG preview (then `templatePreviewSvg(summary)` is exactly that string). */
export function hasReadyPreview(template: TemplateSummary): boolean {
	return typeof template.preview === 'string'
}

function svgDataUrl(svg: unknown): string | null {
	if (typeof svg !== 'string' || !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(svg)) return null
	return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/**
 * An `<img src>` for a template card: a data URL of the SVG (an image cannot run scripts), from the summary's
 * `preview` or else from `templatePreviewSvg`; null when there is none, it is not SVG markup or it throws.
 */
export function previewImageSource(preview: TemplatePreviewFn | null, template: TemplateSummary): string | null {
	if (hasReadyPreview(template)) return svgDataUrl(template.preview)
	if (!preview) return null
	try {
		return svgDataUrl(preview(template))
	} catch {
		return null
	}
}
