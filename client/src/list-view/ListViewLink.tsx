import { useI18n } from '../i18n'
import { navigate } from '../router'
import { listText } from './strings'
import './list-link.css'

/** The path of a board's list view ("Lijstweergave"). */
export function listViewPath(roomId: string): string {
	return `/b/${encodeURIComponent(roomId)}/lijst`
}

/**
 * A link from the board to its list view. As `skip` it is the board page's first stop for the keyboard,
 * hidden until it has the focus (a skip link); otherwise a plain link in the board's top bar.
 */
export function ListViewLink({ roomId, skip = false }: { roomId: string; skip?: boolean }) {
	const { language } = useI18n()
	const path = listViewPath(roomId)
	return (
		<a
			href={path}
			className={skip ? 'kb-list-skip' : 'kb-list-link'}
			data-testid={skip ? 'list-view-skip' : 'list-view-link'}
			onClick={(event) => {
				event.preventDefault()
				navigate(path)
			}}
		>
			{listText(language, skip ? 'list.skip' : 'list.title')}
		</a>
	)
}
