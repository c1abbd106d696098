import { useId, useState, type FormEvent } from 'react'
import { useValue } from 'tldraw'
import { useI18n } from '../i18n'
import type { TldrawUser } from './local-user'

/** localStorage flag: the name was asked once (answered or put off), so the prompt does not come back. */
export const NAME_ASKED_KEY = 'kompasbord:nameAsked'

function wasAsked(): boolean {
	try {
		return localStorage.getItem(NAME_ASKED_KEY) === '1'
	} catch {
		return false
	}
}

function markAsked(): void {
	try {
		localStorage.setItem(NAME_ASKED_KEY, '1')
	} catch {
		// Asked again next time.
	}
}

/**
 * Asks a first-time visitor for the name shown at their cursor, once per browser. Not modal: the board stays
 * usable behind it, and "Later" keeps the default name ("Deelnemer"). The name can be changed at any time in
 * tldraw's people menu (top right).
 */
export function NamePrompt({ user }: { user: TldrawUser }) {
	const { t } = useI18n()
	const current = useValue(user.$user)
	const [open, setOpen] = useState(() => current.name === null && !wasAsked())
	const [name, setName] = useState('')
	const id = useId()
	if (!open) return null

	const save = (event: FormEvent) => {
		event.preventDefault()
		if (name.trim()) user.setName(name)
		markAsked()
		setOpen(false)
	}
	const later = () => {
		markAsked()
		setOpen(false)
	}
	return (
		<form className="kb-name-prompt" data-testid="name-prompt" onSubmit={save} aria-labelledby={`${id}-title`}>
			<label id={`${id}-title`} htmlFor={id} className="kb-name-prompt__title">
				{t('name.prompt')}
			</label>
			<small className="kb-muted">{t('name.hint')}</small>
			<div className="kb-name-prompt__row">
				<span className="kb-name-prompt__swatch" style={{ background: current.color }} aria-hidden="true" />
				<input
					id={id}
					data-testid="name-input"
					type="text"
					autoComplete="given-name"
					maxLength={40}
					value={name}
					placeholder={t('name.placeholder')}
					onChange={(e) => setName(e.target.value)}
				/>
			</div>
			<div className="kb-name-prompt__actions">
				<button type="button" className="kb-link-button" data-testid="name-later" onClick={later}>
					{t('name.skip')}
				</button>
				<button type="submit" className="kb-button kb-button--primary kb-button--small" data-testid="name-save">
					{t('name.save')}
				</button>
			</div>
		</form>
	)
}
