export { ExportMenu, type ExportMenuProps } from './ExportMenu'
export { dispositionFileName, saveBlob } from './download'
export {
	DOCX_IMAGE_MAX_SIDE,
	EXPORT_PADDING,
	PNG_MAX_SIDE,
	PNG_PIXEL_RATIO,
	frameTargets,
	renderBoardImage,
	targetShapeIds,
	type FrameTarget,
	type ImageFormat,
	type ImageProgress,
	type ImageTarget,
	type RenderImageOptions,
	type RenderedImage,
} from './image-export'
export {
	fetchDocxWithImage,
	fetchReport,
	type ReportFile,
	type ReportFormat,
	type ReportRequest,
} from './report-export'
export { EXPORT_STRINGS, type ExportLocale, type ExportStrings } from './strings'
