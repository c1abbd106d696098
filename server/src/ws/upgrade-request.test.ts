import { describe, expect, it } from 'vitest'
import { UpgradeRefusal, parseWsTarget } from './upgrade-request'

describe('parseWsTarget', () => {
	it('reads the room id, key, view and participant id', () => {
		expect(parseWsTarget('/ws/room-1?key=k3y&view=1&pid=phone_123-abc')).toEqual({
			roomId: 'room-1',
			key: 'k3y',
			view: true,
			participantId: 'phone_123-abc',
		})
		expect(parseWsTarget('/ws/room-1')).toEqual({ roomId: 'room-1', key: null, view: false, participantId: null })
		expect(parseWsTarget('/ws/room-1?view=true')).toMatchObject({ view: true })
		expect(parseWsTarget('/ws/room-1?view=0')).toMatchObject({ view: false })
		expect(parseWsTarget('/ws/r%C3%BCm')).toMatchObject({ roomId: 'rüm' })
	})

	it('drops a participant id that does not have the API shape', () => {
		expect(parseWsTarget('/ws/r?pid=short')).toMatchObject({ participantId: null })
		expect(parseWsTarget('/ws/r?pid=has%20space%20in%20it')).toMatchObject({ participantId: null })
		expect(parseWsTarget(`/ws/r?pid=${'x'.repeat(101)}`)).toMatchObject({ participantId: null })
	})

	it('refuses other paths with 404 and bad encoding with 400', () => {
		for (const url of ['/ws/', '/ws', '/ws/a/b', '/api/health', '//evil.example/ws/a', '/wsx/a']) {
			const result = parseWsTarget(url)
			expect(result, url).toBeInstanceOf(UpgradeRefusal)
			expect((result as UpgradeRefusal).statusCode, url).toBe(404)
		}
		expect(parseWsTarget('/ws/%E0%A4%A')).toMatchObject({ statusCode: 400, code: 'bad_request' })
	})
})
