import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'

/**
 * tldraw's fonts, icons, translations and embed icons as files of this build (Vite copies them into
 * `dist/assets`), so the canvas never asks tldraw's CDN for anything — a venue LAN has no internet.
 */
export const tldrawAssetUrls = getAssetUrlsByImport()
