export { PresenterButton, PresenterLayer, type PresenterLayerProps } from './PresenterLayer'
export { PresenterView, type PresenterViewProps } from './PresenterView'
export { MIN_NOTE_FONT_PX, noteGrid } from './presenter-layout'
