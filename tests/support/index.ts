export { api, ApiError } from './api'
export type {
	ApiClient,
	ApiResponse,
	CreatedRoom,
	ErrorBody,
	ExportFormat,
	JoinedRoom,
	Localized,
	NoteInput,
	PostedNote,
	RequestOptions,
	RoomInfo,
	SessionPatch,
	TemplateSummary,
} from './api'
export { CHROMIUM_ARGS, isForeignUrl, launchBrowser, newUserContext } from './browser'
export type { UserContext, UserContextOptions } from './browser'
export { repoRoot, screenshotDir, serverEntry } from './paths'
export { startServerInProcess } from './server-in-process'
export type { InProcessServer, KompasbordApp, StartServerInProcessOptions } from './server-in-process'
export { READY_LINE, startServerProcess } from './server-process'
export type { RestartOptions, ServerExit, ServerProcess, StartServerProcessOptions } from './server-process'
export { makeTempDir, removeTempDir } from './temp-dir'
export { waitFor } from './wait-for'
export type { WaitForOptions } from './wait-for'
export { connectYClient, credentialProtocols } from './y-client'
export type { YClient, YClientOptions, YCredential } from './y-client'
