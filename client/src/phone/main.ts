/**
 * Entry of the phone page (`phone.html`, served for `/j` and `/j/:roomId`). Deliberately lean: no tldraw, no
 * React, no Yjs — plain TypeScript within a budget of 80 KB gzipped (scripts/check-phone-budget.mjs).
 */
import './phone.css'
import { h, replaceChildren } from './dom'
import { participantToken, saveLang, safeStorage, savedLang } from './identity'
import { renderJoin } from './join-view'
import { RoomPage } from './room-view'
import { parsePhonePath } from './route'
import { STRINGS, type Lang } from './strings'

function boot(): void {
	const storage = safeStorage()
	let lang: Lang = savedLang(storage, navigator.languages ?? [])
	const root = document.getElementById('app')!
	const title = h('div', { class: 'title' })
	const langButton = h('button', { type: 'button', class: 'lang' })
	const header = h('header', { class: 'top' }, title, langButton)
	const main = h('main', { id: 'main' })
	replaceChildren(root, header, main)
	const route = parsePhonePath(location.pathname, location.search)
	// A room this phone has not joined (no token for it): the code form, as for `/j`.
	const token = route.view === 'room' ? participantToken(storage, route.roomId) : null
	let page: RoomPage | null = null
	let autoJoin = route.view === 'join' && route.code !== null

	const render = () => {
		const t = STRINGS[lang]
		document.documentElement.lang = lang
		langButton.textContent = t.languageSwitch
		langButton.setAttribute('lang', lang === 'nl' ? 'en' : 'nl')
		if (route.view === 'join' || !token) {
			document.title = t.pageTitle
			renderJoin(main, title, t, storage, route.view === 'join' ? (route.code ?? '') : '', autoJoin)
			autoJoin = false
		} else page?.relabel()
	}
	// The page starts in the room's language (once the room says it); a switch on this page wins from then on.
	let switched = false
	langButton.addEventListener('click', () => {
		switched = true
		lang = lang === 'nl' ? 'en' : 'nl'
		saveLang(storage, lang)
		render()
	})
	if (route.view === 'room' && token) {
		page = new RoomPage({
			roomId: route.roomId,
			participantToken: token,
			storage,
			header: title,
			main,
			strings: () => STRINGS[lang],
			lang: () => lang,
			onRoomLanguage: (roomLang) => {
				if (switched || roomLang === lang) return
				lang = roomLang
				render()
			},
		})
		page.start()
	}
	render()
}

boot()

// Offline reloads: the page registers its service worker (/phone-sw.js, see service-worker.js; only the build has
// it, so under the dev server the registration fails quietly).
if ('serviceWorker' in navigator) {
	navigator.serviceWorker.register('/phone-sw.js', { scope: '/j' }).catch(() => undefined)
}
