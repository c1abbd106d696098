import { listTemplates } from '@kompasbord/templates'
import { describe, expect, it } from 'vitest'
import { EXPORT_STRINGS } from '../client/src/board/export/strings'
import { SESSION_TEXTS } from '../client/src/board/facilitator/strings'
import { DICTIONARIES } from '../client/src/i18n'
import { SESSION_STRINGS } from '../client/src/phone/session-strings'
import { STRINGS } from '../client/src/phone/strings'
import { REPORT_STRINGS } from '../server/src/export/report-strings'

/**
 * Issue 15, must-have 4: one Dutch vocabulary across board, phone, panels, reports and templates.
 * The words chosen: "facilitator" (not "begeleider"), "vak" (not "zone"), "stip/stippen" for what a participant
 * gives ("stemronde" for the round; not "stemmen" as the unit), "meekijker(s)" (not "kijker(s)"), and no
 * "(s)" plurals: the singular is its own string.
 */

type Texts = { where: string; text: string }[]

/** Every string of a dictionary; functions are called with 1 and with 3 for whatever they take. */
function collect(where: string, value: unknown, out: Texts): Texts {
	if (typeof value === 'string') out.push({ where, text: value })
	else if (typeof value === 'function') {
		for (const n of [1, 3]) {
			const args = Array.from({ length: value.length }, (_, i) => (i === 0 ? n : 5))
			const text = (value as (...a: unknown[]) => unknown)(...args)
			if (typeof text === 'string') out.push({ where: `${where}(${n})`, text })
		}
	} else if (value && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) collect(`${where}.${key}`, inner, out)
	}
	return out
}

function dutchTexts(): Texts {
	const out: Texts = []
	collect('i18n', DICTIONARIES.nl, out)
	collect('phone', STRINGS.nl, out)
	collect('phone-session', SESSION_STRINGS.nl, out)
	collect('facilitator', SESSION_TEXTS.nl, out)
	collect('export', EXPORT_STRINGS.nl, out)
	collect('report', REPORT_STRINGS.nl, out)
	for (const template of listTemplates()) collect(`template ${template.id}`, template, out)
	return out.filter((t) => !/\.en$|\.en\./.test(t.where))
}

function englishTexts(): Texts {
	const out: Texts = []
	collect('i18n', DICTIONARIES.en, out)
	collect('phone', STRINGS.en, out)
	collect('phone-session', SESSION_STRINGS.en, out)
	collect('facilitator', SESSION_TEXTS.en, out)
	collect('export', EXPORT_STRINGS.en, out)
	collect('report', REPORT_STRINGS.en, out)
	for (const template of listTemplates()) {
		const all = collect(`template ${template.id}`, template, [])
		out.push(...all.filter((t) => /\.en$/.test(t.where)))
	}
	return out
}

describe('the Dutch vocabulary', () => {
	const texts = dutchTexts()

	it.each([
		['begeleider', /\bbegeleider/i],
		['zone (the word is "vak")', /\bzones?\b/i],
		[
			'stemmen as what a participant gives (the word is "stippen")',
			/\b(\d+|aantal|met|wissen\)?) stemmen\b|^Stemmen$/i,
		],
		['kijker(s) without "mee"', /(^|[^e])\bkijkers?\b/i],
		['a "(s)" plural', /\w\(s\)/],
	])('never says %s', (word, pattern) => {
		// The worksheets' own sentences may say "partner(s)"; the app's own words do not.
		const own = word.includes('(s)') ? texts.filter((t) => !t.where.startsWith('template ')) : texts
		const hits = own.filter((t) => pattern.test(t.text)).map((t) => `${t.where}: ${t.text}`)
		expect(hits).toEqual([])
	})

	it('counts in the singular for one', () => {
		const hits = texts.filter((t) =>
			/\b1 (notities|stippen|meekijkers|deelnemers|wachten|vakken|tekens|minuten)\b/.test(t.text)
		)
		expect(hits.map((t) => `${t.where}: ${t.text}`)).toEqual([])
	})
})

describe('the English strings', () => {
	const texts = englishTexts()

	it.each([
		['"private writing" (it is "silent writing")', /private writing/i],
		['"appreciate" for waarderen (it is "evaluate")', /\bappreciate\b/i],
		['"first line" without "-services"', /first[- ]line(?! services)/i],
		['a "(s)" plural', /\w\(s\)/],
		['"votes" for dots', /\bvotes\b/i],
	])('never say %s', (_word, pattern) => {
		const hits = texts.filter((t) => pattern.test(t.text)).map((t) => `${t.where}: ${t.text}`)
		expect(hits).toEqual([])
	})

	it('count in the singular for one', () => {
		const hits = texts.filter((t) => /\b1 (notes|dots|viewers|participants|zones|characters|minutes)\b/.test(t.text))
		expect(hits.map((t) => `${t.where}: ${t.text}`)).toEqual([])
	})
})
