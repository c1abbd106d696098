export { SessionLayer, type SessionLayerProps } from './SessionLayer'
export {
	boardParticipantToken,
	browserStorage,
	forgetBoardParticipantToken,
	saveBoardParticipantToken,
	PARTICIPANT_TOKEN_PREFIX,
} from './participant-id'
export { ServerClock } from './server-clock'
export { FacilitatorPanel } from './FacilitatorPanel'
export { TimerDisplay } from './TimerDisplay'
export { VoteBadges } from './VoteBadges'
export { RankingPanel } from './RankingPanel'
export { FollowLayer, startFacilitatorPresence } from './FollowLayer'
export { PrivateWritingPanel } from './PrivateWritingPanel'
export { SummonTracker, facilitatorsIn, leaderOf } from './follow'
