/**
 * How long boards are kept (`RETENTION`, from `GET /api/config`), in words for the home page, the board's
 * Sessie panel and the admin page. Dutch first.
 */
export type RetentionLanguage = 'nl' | 'en'

const UNITS: { ms: number; nl: [string, string]; en: [string, string] }[] = [
	{ ms: 86_400_000, nl: ['dag', 'dagen'], en: ['day', 'days'] },
	{ ms: 3_600_000, nl: ['uur', 'uur'], en: ['hour', 'hours'] },
	{ ms: 60_000, nl: ['minuut', 'minuten'], en: ['minute', 'minutes'] },
	{ ms: 1000, nl: ['seconde', 'seconden'], en: ['second', 'seconds'] },
]

/** A duration as "90 dagen" / "90 days" (the largest unit it is a whole number of; else rounded seconds). */
export function formatDuration(ms: number, language: RetentionLanguage): string {
	const unit = UNITS.find((u) => ms >= u.ms && ms % u.ms === 0) ?? UNITS[UNITS.length - 1]
	const n = Math.max(1, Math.round(ms / unit.ms))
	const [one, many] = unit[language]
	return `${n} ${n === 1 ? one : many}`
}

/** The sentence telling how long boards are kept; `retentionMs` null: kept until deleted. */
export function retentionText(retentionMs: number | null, language: RetentionLanguage): string {
	if (retentionMs === null) {
		return language === 'nl'
			? 'Borden blijven bewaard tot de facilitator of de beheerder ze verwijdert.'
			: 'Boards are kept until the facilitator or the administrator deletes them.'
	}
	const span = formatDuration(retentionMs, language)
	return language === 'nl'
		? `Borden worden ${span} na het sluiten of na het laatste gebruik automatisch verwijderd.`
		: `Boards are deleted automatically ${span} after they are closed or last used.`
}
