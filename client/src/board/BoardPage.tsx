import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import {
	atom,
	Tldraw,
	useEditor,
	useTldrawUiComponents,
	useValue,
	type Editor,
	type TLComponents,
	type TldrawOptions,
} from 'tldraw'
import 'tldraw/tldraw.css'
import type { RoomInfo } from '@kompasbord/shared'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { fetchClientConfig, fetchRoom, type ClientConfig } from '../api'
import { LanguageSwitch } from '../LanguageSwitch'
import { isLanguage, setLanguage, translate, useI18n, type MessageKey, type MessageParams } from '../i18n'
import { navigate } from '../router'
import './board.css'
import { ConnectionBadge } from './ConnectionBadge'
import { ExportMenu, renderBoardImage, type RenderImageOptions, type RenderedImage } from './export'
import { BoardJoinScreen } from './BoardJoinScreen'
import { SessionLayer, boardParticipantToken, browserStorage, forgetBoardParticipantToken } from './facilitator'
import { JoinButton } from './JoinOverlay'
import { ListViewLink } from '../list-view/ListViewLink'
import { createTldrawUser, loadLocalUser, type TldrawUser } from './local-user'
import { NamePrompt } from './NamePrompt'
import { startPresence } from './presence'
import {
	FACILITATOR_KEY_PREFIX,
	fromHash,
	hasCapabilityInHash,
	hashWithoutKey,
	keyFromHash,
	registerServerOwnedGuards,
	resolveViewToken,
	registerStructureGuards,
	resolveFacilitatorKey,
	roleFor,
	type BoardRole,
} from './roles'
import { ServerNotices } from './ServerNotices'
import { tldrawAssetUrls } from './tldraw-assets'
import { useBoardConnection, type BoardError, type BoardSession } from './use-board-connection'
import { useCodeJoin } from './use-code-join'

/** What e2e tests and the console can reach on a board page: `window.__kompasbord`. */
export interface KompasbordDebugHandle {
	editor: Editor
	doc: Y.Doc
	provider: WebsocketProvider
	role: BoardRole
	/** The export menu's image export of this board (tests and `bench/src/png-export.ts` time and compare it). */
	renderImage(options: RenderImageOptions): Promise<RenderedImage>
}

declare global {
	interface Window {
		__kompasbord?: KompasbordDebugHandle
	}
}

/** Largest image file accepted on the canvas: it travels inline in one websocket message (server limit 2 MB). */
export const MAX_ASSET_BYTES = 1_200_000
/** Pasted images are scaled down to this many pixels on their longest side. */
export const MAX_IMAGE_DIMENSION = 1600

function storage(kind: 'local' | 'session'): Storage | null {
	try {
		return kind === 'local' ? localStorage : sessionStorage
	} catch {
		return null
	}
}

interface BoardContextValue {
	session: BoardSession
	role: BoardRole
	facilitatorKey: string | null
	participantToken: string | null
	room: RoomInfo | null
	user: TldrawUser
}

const BoardContext = createContext<BoardContextValue | null>(null)

function useBoard(): BoardContextValue {
	const value = useContext(BoardContext)
	if (!value) throw new Error('useBoard outside a board')
	return value
}

/** How a board connects: its role and that role's credential. */
interface BoardAccess {
	role: BoardRole
	facilitatorKey: string | null
	viewToken: string | null
	/** A participant's token (shared with the phone page of this browser); null until the board joined. */
	participantToken: string | null
	/** The join code of the board link (`#code=`), to join with when there is no token yet. */
	joinCode: string | null
}

/**
 * How this page was opened, read once: the view link's token (`#view=`), else the facilitator key (`#key=`),
 * else a participant with this browser's token for the room or the link's join code (`#code=`). The
 * capabilities are then taken out of the address bar (the board is often projected).
 */
function readAccess(roomId: string): BoardAccess {
	const { pathname, search, hash } = window.location
	const session = storage('session')
	const viewToken = keyFromHash(hash) ? fromHash(hash, 'view') : resolveViewToken(roomId, hash, session)
	const facilitatorKey = viewToken ? null : resolveFacilitatorKey(roomId, hash, session)
	const joinCode = fromHash(hash, 'code')
	if (hasCapabilityInHash(hash))
		window.history.replaceState(window.history.state, '', pathname + search + hashWithoutKey(hash))
	const role = roleFor({ facilitatorKey, view: viewToken !== null })
	const participantToken = role === 'participant' ? boardParticipantToken(browserStorage(), roomId) : null
	return { role, facilitatorKey, viewToken, participantToken, joinCode }
}

/** The credential a role connects with. */
function credentialOf(access: BoardAccess): string | null {
	if (access.role === 'facilitator') return access.facilitatorKey
	if (access.role === 'viewer') return access.viewToken
	return access.participantToken
}

/**
 * A board. A participant without a token for this room joins first — with the board link's code, or one
 * typed on the {@link BoardJoinScreen} — then the board connects.
 */
export function BoardPage({ roomId }: { roomId: string }) {
	const [access, setAccess] = useState(() => readAccess(roomId))
	const onJoined = useCallback(
		(participantToken: string) => setAccess((current) => ({ ...current, participantToken, joinCode: null })),
		[]
	)
	const codeJoin = useCodeJoin(roomId, onJoined)
	const { join } = codeJoin
	// A join with the link's code that failed (or needs the passphrase) leaves the code to the join screen.
	useEffect(() => {
		if (codeJoin.error || codeJoin.needsPassphrase) setAccess((current) => ({ ...current, joinCode: null }))
	}, [codeJoin.error, codeJoin.needsPassphrase])

	const needsJoin = access.role === 'participant' && !access.participantToken
	useEffect(() => {
		if (needsJoin && access.joinCode) void join(access.joinCode)
	}, [needsJoin, access.joinCode, join])

	const rejoin = useCallback(() => {
		forgetBoardParticipantToken(browserStorage(), roomId)
		setAccess((current) => ({ ...current, participantToken: null, joinCode: null }))
	}, [roomId])

	if (needsJoin) {
		return (
			<BoardJoinScreen
				busy={codeJoin.joining || access.joinCode !== null}
				error={codeJoin.error}
				code={codeJoin.code}
				needsPassphrase={codeJoin.needsPassphrase}
				onJoin={(code, passphrase) => void join(code, passphrase)}
			/>
		)
	}
	return <ConnectedBoard roomId={roomId} access={access} setAccess={setAccess} onTokenRefused={rejoin} />
}

/**
 * A connected board: tldraw bound to the room's Y.Doc over y-websocket, with presence, the connection badge,
 * roles (facilitator badge, participants kept off the structure, viewers read-only) and the Dutch/English switch.
 */
function ConnectedBoard({
	roomId,
	access,
	setAccess,
	onTokenRefused,
}: {
	roomId: string
	access: BoardAccess
	setAccess: (access: BoardAccess) => void
	onTokenRefused: () => void
}) {
	const { t, language } = useI18n()
	const [$language] = useState(() => atom('kompasbord language', language))
	const [$defaultName] = useState(() => atom('kompasbord default name', defaultNameFor(access.role, language)))
	const [user] = useState(() =>
		createTldrawUser(loadLocalUser(storage('local')), {
			storage: storage('local'),
			$defaultName,
			$locale: $language,
			// tldraw's own language menu switches the whole app between Dutch and English.
			onLocaleChange: (locale) => {
				if (isLanguage(locale)) setLanguage(locale)
			},
		})
	)
	const [config, setConfig] = useState<ClientConfig | null>(null)
	const [room, setRoom] = useState<RoomInfo | null>(null)

	useEffect(() => {
		$language.set(language)
		$defaultName.set(defaultNameFor(access.role, language))
	}, [language, access.role, $language, $defaultName])

	useEffect(() => {
		const abort = new AbortController()
		void fetchClientConfig(abort.signal).then(setConfig, () => {})
		void fetchRoom(roomId, abort.signal).then(setRoom, () => {})
		return () => abort.abort()
	}, [roomId])

	useEffect(() => {
		document.title = room?.title ? `${room.title} · ${t('app.name')}` : t('app.name')
	}, [room?.title, t])

	const connection = useBoardConnection({
		roomId,
		role: access.role,
		credential: credentialOf(access),
		$userRecord: user.$userRecord,
	})

	useEffect(() => {
		if (connection.status === 'error' && connection.error.kind === 'bad-participant-token') onTokenRefused()
	}, [connection, onTokenRefused])

	const continueAsParticipant = useCallback(() => {
		try {
			storage('session')?.removeItem(FACILITATOR_KEY_PREFIX + roomId)
		} catch {
			// Nothing stored.
		}
		setAccess({
			role: 'participant',
			facilitatorKey: null,
			viewToken: null,
			participantToken: boardParticipantToken(browserStorage(), roomId),
			joinCode: null,
		})
	}, [roomId, setAccess])

	if (connection.status === 'error') {
		return <BoardErrorScreen error={connection.error} onContinueAsParticipant={continueAsParticipant} />
	}
	if (connection.status === 'loading' || !config) {
		return (
			<div className="kb-full-message" data-testid="board-loading">
				<p>{t('board.loading')}</p>
			</div>
		)
	}
	return (
		<BoardContext.Provider
			value={{
				session: connection.session,
				role: access.role,
				facilitatorKey: access.facilitatorKey,
				participantToken: access.participantToken,
				room,
				user,
			}}
		>
			<BoardCanvas licenseKey={config.tldrawLicenseKey} />
		</BoardContext.Provider>
	)
}

function defaultNameFor(role: BoardRole, language: 'nl' | 'en'): string {
	if (role === 'facilitator') return translate(language, 'board.facilitator')
	return translate(language, role === 'viewer' ? 'name.viewer' : 'name.default')
}

/** One page per board: the template's. */
const TLDRAW_OPTIONS: Partial<TldrawOptions> = { maxPages: 1 }

const components: TLComponents = {
	TopPanel: BoardTopBar,
	SharePanel: BoardSharePanel,
}

function BoardCanvas({ licenseKey }: { licenseKey: string | null }) {
	const { session, role, user, facilitatorKey, participantToken } = useBoard()
	const { language } = useI18n()
	const [editor, setEditor] = useState<Editor | null>(null)

	const onMount = useCallback(
		(mounted: Editor) => {
			const { doc, provider, store, $structureLocked } = session
			window.__kompasbord = {
				editor: mounted,
				doc,
				provider,
				role,
				renderImage: (options) => renderBoardImage(mounted, options),
			}
			const stopStructureGuards = registerStructureGuards(
				store,
				() => role === 'facilitator' || !$structureLocked.get()
			)
			const stopOwnedGuards = role === 'facilitator' ? () => {} : registerServerOwnedGuards(store)
			if (role === 'viewer') mounted.updateInstanceState({ isReadonly: true })
			const stopPresence = startPresence({
				store,
				awareness: provider.awareness,
				$user: user.$userRecord,
				role,
				broadcast: role !== 'viewer',
			})
			mounted.zoomToFit({ animation: { duration: 0 } })
			setEditor(mounted)
			return () => {
				stopPresence()
				stopStructureGuards()
				stopOwnedGuards()
				if (window.__kompasbord?.editor === mounted) delete window.__kompasbord
				setEditor(null)
			}
		},
		[session, role, user]
	)

	return (
		<div className="kb-board" data-testid="board" data-role={role}>
			<ListViewLink roomId={session.roomId} skip />
			<Tldraw
				store={session.store}
				licenseKey={licenseKey ?? undefined}
				locale={language}
				user={user.currentUser}
				assetUrls={tldrawAssetUrls}
				components={components}
				onMount={onMount}
				maxAssetSize={MAX_ASSET_BYTES}
				maxImageDimension={MAX_IMAGE_DIMENSION}
				options={TLDRAW_OPTIONS}
			/>
			{editor && role !== 'viewer' && <NamePrompt user={user} />}
			<ServerNotices awareness={session.provider.awareness} />
			{editor && (
				<SessionLayer
					editor={editor}
					doc={session.doc}
					awareness={session.provider.awareness}
					roomId={session.roomId}
					role={role}
					facilitatorKey={facilitatorKey}
					participantToken={role === 'participant' ? participantToken : null}
				/>
			)}
		</div>
	)
}

function BoardTopBar() {
	const { session, role, room } = useBoard()
	const { t } = useI18n()
	const phase = useValue(session.$phase)
	const structureLocked = useValue(session.$structureLocked)
	const phaseKey: MessageKey | null =
		phase === 'private'
			? 'board.phase.private'
			: phase === 'voting'
				? 'board.phase.voting'
				: phase === 'closed'
					? 'board.phase.closed'
					: null
	return (
		<div className="kb-topbar">
			{room?.title && (
				<span className="kb-topbar__title" data-testid="board-title" title={room.title}>
					{room.title}
				</span>
			)}
			{role === 'facilitator' && (
				<span className="kb-badge kb-badge--facilitator" data-testid="role-badge">
					{t('board.facilitator')}
				</span>
			)}
			{role === 'viewer' && (
				<span className="kb-badge kb-badge--viewer" data-testid="role-badge">
					{t('board.viewer')}
				</span>
			)}
			{phaseKey && (
				<span className={`kb-badge kb-badge--phase-${phase}`} data-testid="phase-badge">
					{t(phaseKey)}
				</span>
			)}
			{role === 'facilitator' && !structureLocked && (
				<span className="kb-badge kb-badge--unlocked" data-testid="structure-badge">
					{t('board.structureUnlocked')}
				</span>
			)}
			<ConnectionBadge tracker={session.tracker} />
			<ListViewLink roomId={session.roomId} />
		</div>
	)
}

function BoardSharePanel() {
	const { PeopleMenu } = useTldrawUiComponents()
	const { role, room, session, facilitatorKey } = useBoard()
	const { language } = useI18n()
	const editor = useEditor()
	return (
		<div className="tlui-share-zone kb-share-zone" draggable={false}>
			{role === 'facilitator' && facilitatorKey && (
				<JoinButton roomId={session.roomId} facilitatorKey={facilitatorKey} locale={language} />
			)}
			<ExportMenu
				editor={editor}
				roomId={session.roomId}
				title={room?.title ?? ''}
				facilitatorKey={role === 'facilitator' ? facilitatorKey : null}
				locale={language}
			/>
			<LanguageSwitch className="kb-language-switch--board" />
			{PeopleMenu && <PeopleMenu />}
		</div>
	)
}

const ERROR_MESSAGES: Record<BoardError['kind'], MessageKey> = {
	'not-found': 'board.notFound',
	'no-document': 'board.noDocument',
	'newer-schema': 'board.newerSchema',
	'bad-key': 'board.badKey',
	'bad-participant-token': 'board.join.again',
	closed: 'board.closedByServer',
	other: 'board.loadError',
}

function BoardErrorScreen({
	error,
	onContinueAsParticipant,
}: {
	error: BoardError
	onContinueAsParticipant: () => void
}) {
	const { t } = useI18n()
	const params: MessageParams | undefined =
		error.kind === 'closed'
			? { reason: error.reason || String(error.code) }
			: error.kind === 'other'
				? { message: error.message }
				: undefined
	return (
		<div className="kb-full-message" role="alert" data-testid="board-error" data-error={error.kind}>
			<p>{t(ERROR_MESSAGES[error.kind], params)}</p>
			<div className="kb-actions">
				{error.kind === 'bad-key' && (
					<button type="button" className="kb-button kb-button--primary" onClick={onContinueAsParticipant}>
						{t('board.continueAsParticipant')}
					</button>
				)}
				{(error.kind === 'closed' || error.kind === 'other' || error.kind === 'newer-schema') && (
					<button type="button" className="kb-button" onClick={() => window.location.reload()}>
						{t('board.reload')}
					</button>
				)}
				<HomeLink>{t('board.toHome')}</HomeLink>
			</div>
		</div>
	)
}

function HomeLink({ children }: { children: ReactNode }) {
	return (
		<a
			className="kb-button"
			href="/"
			onClick={(e) => {
				e.preventDefault()
				navigate('/')
			}}
		>
			{children}
		</a>
	)
}
