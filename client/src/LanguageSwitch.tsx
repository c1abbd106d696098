import { useI18n } from './i18n'

/** The Dutch/English switch: one button naming the other language. */
export function LanguageSwitch(props: { className?: string }) {
	const { t, language, setLanguage } = useI18n()
	const other = language === 'nl' ? 'en' : 'nl'
	return (
		<button
			type="button"
			className={`kb-language-switch ${props.className ?? ''}`}
			data-testid="language-switch"
			lang={other}
			aria-label={t('language.switchLabel')}
			onClick={() => setLanguage(other)}
		>
			{t('language.switch')}
		</button>
	)
}
