// The phone page's service worker (built to /phone-sw.js by the kompasbord-phone-sw plugin in vite.config.ts,
// which fills in the precache list and the version; registered by src/phone/main.ts with scope /j).
//
// What it does, so that a phone that reloads the page while the venue wifi is gone still has its page and its
// waiting notes (the outbox lives in localStorage; it sends once the network is back):
// - the page shell (/j, served for every /j/… path) and the files phone.html loads: precached at install;
//   pages network-first with the cached shell as the fallback, hashed files cache-first;
// - GET /api/rooms/:roomId (title, zones, language): network-first, the last answer as the fallback, so the
//   page can show the room and its composer offline; a 404 (the room was deleted) removes the cached answer.
// Nothing else is cached: no notes, no session state, nothing of another origin.

const VERSION = '__KOMPASBORD_VERSION__'
/** @type {string[]} */
const PRECACHE = __KOMPASBORD_PRECACHE__
const SHELL_CACHE = `kompasbord-phone-shell-${VERSION}`
const ROOM_CACHE = 'kompasbord-phone-rooms'
const ROOM_INFO = /^\/api\/rooms\/[A-Za-z0-9_-]+$/

self.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL_CACHE)
			.then((cache) => cache.addAll(PRECACHE))
			.then(() => self.skipWaiting())
	)
})

self.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys
						.filter((key) => key.startsWith('kompasbord-phone-shell-') && key !== SHELL_CACHE)
						.map((key) => caches.delete(key))
				)
			)
			.then(() => self.clients.claim())
	)
})

/** The network's answer; when there is no network, what `fallback` finds (or the network error). */
async function networkFirst(request, fallback) {
	try {
		return await fetch(request)
	} catch (error) {
		const cached = await fallback()
		if (cached) return cached
		throw error
	}
}

async function roomInfo(request) {
	const cache = await caches.open(ROOM_CACHE)
	try {
		const response = await fetch(request)
		if (response.ok) await cache.put(request, response.clone())
		else if (response.status === 404) await cache.delete(request)
		return response
	} catch (error) {
		const cached = await cache.match(request)
		if (cached) return cached
		throw error
	}
}

self.addEventListener('fetch', (event) => {
	const request = event.request
	if (request.method !== 'GET') return
	const url = new URL(request.url)
	if (url.origin !== self.location.origin) return
	if (request.mode === 'navigate') {
		if (url.pathname === '/j' || url.pathname.startsWith('/j/')) {
			event.respondWith(networkFirst(request, () => caches.match('/j', { cacheName: SHELL_CACHE })))
		}
		return
	}
	if (ROOM_INFO.test(url.pathname)) {
		event.respondWith(roomInfo(request))
		return
	}
	if (PRECACHE.includes(url.pathname)) {
		event.respondWith(caches.match(url.pathname, { cacheName: SHELL_CACHE }).then((hit) => hit ?? fetch(request)))
	}
})
