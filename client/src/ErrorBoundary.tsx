import { Component, type ErrorInfo, type ReactNode } from 'react'
import { getLanguage, translate } from './i18n'

/**
 * Last line of defence for the whole app: an error while rendering shows a message with a reload button
 * instead of a blank page. (tldraw catches errors on its canvas itself; this covers everything around it.)
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
	override state: { error: Error | null } = { error: null }

	static getDerivedStateFromError(error: Error): { error: Error } {
		return { error }
	}

	override componentDidCatch(error: Error, info: ErrorInfo): void {
		console.error('[kompasbord] page crashed', error, info.componentStack)
	}

	override render(): ReactNode {
		if (!this.state.error) return this.props.children
		const language = getLanguage()
		return (
			<div className="kb-full-message" role="alert" data-testid="app-error">
				<p>{translate(language, 'app.crashed')}</p>
				<p className="kb-muted">{this.state.error.message}</p>
				<div className="kb-actions">
					<button type="button" className="kb-button kb-button--primary" onClick={() => window.location.reload()}>
						{translate(language, 'board.reload')}
					</button>
					<a className="kb-button" href="/">
						{translate(language, 'board.toHome')}
					</a>
				</div>
			</div>
		)
	}
}
