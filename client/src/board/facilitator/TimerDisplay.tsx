import { formatTimer } from '@kompasbord/shared/session-timer'
import { useSessionContext } from './session-context'
import { useSessionState, useTimerSeconds } from './use-session'

/**
 * The session timer, big enough for the projector, on every board (facilitator, participants, viewers). It
 * counts on the server's clock, corrected for this browser's clock offset, so every screen shows the same
 * second. Hidden while no timer is set.
 */
export function TimerDisplay() {
	const { doc, clock, t } = useSessionContext()
	const { timer } = useSessionState(doc)
	const seconds = useTimerSeconds(timer, clock)
	if (timer.durationSeconds <= 0) return null
	const done = seconds === 0 && (timer.running || timer.remainingSeconds === 0)
	const state = done ? 'done' : timer.running ? 'running' : 'paused'
	return (
		<div
			className={`kb-timer kb-timer--${state}`}
			data-testid="session-timer"
			data-seconds={seconds}
			data-state={state}
			role="timer"
			aria-label={done ? t('timer.done') : `${t('timer.label')}: ${formatTimer(seconds)}`}
		>
			<span className="kb-timer__digits">{formatTimer(seconds)}</span>
			{done && <span className="kb-timer__done">{t('timer.done')}</span>}
		</div>
	)
}
