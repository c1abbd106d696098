import { createContext, useContext } from 'react'
import type { Editor } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { Language } from '../../i18n'
import type { BoardRole } from '../roles'
import type { ServerClock } from './server-clock'
import { sessionText, type SessionTextKey } from './strings'

/** What every part of the facilitator toolkit on a board works with. */
export interface SessionContextValue {
	editor: Editor
	doc: Y.Doc
	awareness: Awareness
	roomId: string
	role: BoardRole
	/** The facilitator key (facilitator boards only). */
	facilitatorKey: string | null
	/** This browser's participant id (participant boards only): for votes and private notes. */
	participantToken: string | null
	clock: ServerClock
	language: Language
	/** A toolkit text in the board's language. */
	t(key: SessionTextKey, params?: Record<string, string | number>): string
}

const SessionContext = createContext<SessionContextValue | null>(null)

/** Provides {@link SessionContextValue} to the toolkit's components. */
export const SessionContextProvider = SessionContext.Provider

/** The toolkit's context; throws outside a {@link SessionContextProvider}. */
export function useSessionContext(): SessionContextValue {
	const value = useContext(SessionContext)
	if (!value) throw new Error('useSessionContext outside the facilitator toolkit')
	return value
}

/** Binds {@link sessionText} to a language. */
export function textsFor(language: Language): SessionContextValue['t'] {
	return (key, params) => sessionText(language, key, params)
}
