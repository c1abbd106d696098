export { FocusButton, FocusLayer, useFocusView } from './FocusLayer'
