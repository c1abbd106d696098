import { lazy, Suspense } from 'react'
import { HomePage } from './home/HomePage'
import { useI18n } from './i18n'
import { matchRoute, navigate, useLocationKey } from './router'

// tldraw is only loaded on the board route.
const BoardPage = lazy(() => import('./board/BoardPage').then((m) => ({ default: m.BoardPage })))
// The list view needs no tldraw either.
const ListViewPage = lazy(() => import('./list-view/ListViewPage').then((m) => ({ default: m.ListViewPage })))
// The traject page: a municipality's boards along the compass.
const TrajectPage = lazy(() => import('./traject/TrajectPage').then((m) => ({ default: m.TrajectPage })))

/** The board app: the home page or a board, by path. */
export function App() {
	const location = useLocationKey()
	const route = matchRoute(location.replace(/[?#].*$/, ''))
	if (route.name === 'home') return <HomePage />
	if (route.name === 'board') {
		return (
			<Suspense fallback={<FullPageMessage messageKey="board.loading" />}>
				<BoardPage key={route.roomId} roomId={route.roomId} />
			</Suspense>
		)
	}
	if (route.name === 'list') {
		return (
			<Suspense fallback={<FullPageMessage messageKey="board.loading" />}>
				<ListViewPage key={route.roomId} roomId={route.roomId} />
			</Suspense>
		)
	}
	if (route.name === 'traject') {
		return (
			<Suspense fallback={<FullPageMessage messageKey="board.loading" />}>
				<TrajectPage key={route.trajectId} trajectId={route.trajectId} />
			</Suspense>
		)
	}
	return <FullPageMessage messageKey="board.notFound" showHome />
}

/** A centred message over the whole page, optionally with a link home. */
export function FullPageMessage(props: { messageKey: 'board.loading' | 'board.notFound'; showHome?: boolean }) {
	const { t } = useI18n()
	return (
		<div className="kb-full-message" data-testid="page-message">
			<p>{t(props.messageKey)}</p>
			{props.showHome && (
				<a
					className="kb-button"
					href="/"
					onClick={(e) => {
						e.preventDefault()
						navigate('/')
					}}
				>
					{t('board.toHome')}
				</a>
			)}
		</div>
	)
}
