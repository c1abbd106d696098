import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useI18n } from '../../i18n'
import { installPanelAwareFit } from '../fit-beside-panels'
import { FocusLayer } from '../focus'
import { PresenterLayer } from '../presenter'
import './facilitator.css'
import { FacilitatorPanel } from './FacilitatorPanel'
import { FollowLayer } from './FollowLayer'
import { ParticipantThemes } from './ParticipantThemes'
import { PrivateWritingPanel } from './PrivateWritingPanel'
import { RankingPanel } from './RankingPanel'
import { ScreeningPanel } from './ScreeningPanel'
import { ServerClock } from './server-clock'
import { getSession } from './session-api'
import {
	SessionContextProvider,
	textsFor,
	useSessionContext as useSessionContextValue,
	type SessionContextValue,
} from './session-context'
import { TimerDisplay } from './TimerDisplay'
import { useParticipantThemes, useSessionState } from './use-session'
import { VoteBadges } from './VoteBadges'
import { ScoreSpreads } from '../scores/ScoreSpreads'
import { CarriedOriginChip } from '../CarriedOriginChip'

/** Round trips measured when a board opens, and how often the clock offset is measured again. */
const CLOCK_SAMPLES = 3
const CLOCK_RESYNC_MS = 60_000

/**
 * Props of {@link SessionLayer}: what the board page has, handed on to the toolkit's context as they are
 * (`participantToken` is the one the board connected with).
 */
export type SessionLayerProps = Pick<
	SessionContextValue,
	'editor' | 'doc' | 'awareness' | 'roomId' | 'role' | 'facilitatorKey' | 'participantToken'
>

/**
 * The facilitator toolkit on a board, mounted once the editor is: the shared timer (every role), vote badges
 * and the ranking, follow mode and "Iedereen naar mij", the facilitator's panel, and the private-writing panel
 * of a laptop participant. Measures this browser's clock offset to the server for the timer.
 */
export function SessionLayer(props: SessionLayerProps) {
	const { editor, doc, awareness, roomId, role, facilitatorKey, participantToken } = props
	const { language } = useI18n()
	const [clock] = useState(() => new ServerClock())
	const summonRef = useRef<(() => void) | null>(null)
	const [rankingOpen, setRankingOpen] = useState(false)
	const [following, setFollowing] = useState(false)

	useEffect(() => {
		let stopped = false
		const measure = async () => {
			for (let i = 0; i < CLOCK_SAMPLES && !stopped; i++)
				await clock.measure(async () => (await getSession(roomId)).serverNow)
		}
		void measure()
		const timer = setInterval(
			() => void clock.measure(async () => (await getSession(roomId)).serverNow),
			CLOCK_RESYNC_MS
		)
		return () => {
			stopped = true
			clearInterval(timer)
		}
	}, [clock, roomId])

	// Zoom-to-fit fits the board beside the panels this layer draws (and tldraw's own).
	useEffect(
		() => installPanelAwareFit(editor, editor.getContainer().closest<HTMLElement>('.kb-board') ?? document.body),
		[editor]
	)

	const value = useMemo<SessionContextValue>(
		() => ({
			editor,
			doc,
			awareness,
			roomId,
			role,
			facilitatorKey,
			participantToken,
			clock,
			language,
			t: textsFor(language),
		}),
		[editor, doc, awareness, roomId, role, facilitatorKey, participantToken, clock, language]
	)
	const registerSummon = useCallback((summon: (() => void) | null) => {
		summonRef.current = summon
	}, [])

	return (
		<SessionContextProvider value={value}>
			<SessionWidgets
				rankingOpen={rankingOpen}
				setRankingOpen={setRankingOpen}
				registerSummon={registerSummon}
				summon={() => summonRef.current?.()}
				following={following}
				setFollowing={setFollowing}
			/>
		</SessionContextProvider>
	)
}

function SessionWidgets(props: {
	rankingOpen: boolean
	setRankingOpen(open: boolean | ((open: boolean) => boolean)): void
	registerSummon(summon: (() => void) | null): void
	summon(): void
	following: boolean
	setFollowing(following: boolean | ((following: boolean) => boolean)): void
}) {
	const { editor, doc, role, participantToken } = useSessionContextValue()
	const { phase, screening } = useSessionState(doc)
	const participantsGroup = useParticipantThemes(doc)
	const { rankingOpen, setRankingOpen } = props
	// Participants see the ranking by themselves once a voting round is on.
	const showRanking = rankingOpen || (role !== 'facilitator' && phase === 'voting')
	return (
		<>
			<ScoreSpreads />
			<VoteBadges />
			<CarriedOriginChip editor={editor} />
			<TimerDisplay />
			<FollowLayer
				registerSummon={props.registerSummon}
				following={props.following}
				setFollowing={props.setFollowing}
			/>
			{role === 'facilitator' && (
				<FacilitatorPanel
					onSummon={props.summon}
					rankingOpen={rankingOpen}
					onToggleRanking={() => setRankingOpen((o) => !o)}
				/>
			)}
			{role === 'facilitator' && <ScreeningPanel />}
			{role === 'participant' && participantToken && phase === 'private' && <PrivateWritingPanel />}
			{role === 'participant' && participantToken && participantsGroup && phase !== 'closed' && <ParticipantThemes />}
			{role === 'participant' && participantToken && screening && phase !== 'private' && phase !== 'closed' && (
				<PrivateWritingPanel key="screening" mode="screening" />
			)}
			{showRanking && <RankingPanel onClose={() => setRankingOpen(false)} />}
			<FocusLayer />
			<PresenterLayer following={props.following} onStopFollowing={() => props.setFollowing(false)} />
		</>
	)
}
