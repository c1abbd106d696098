import { describe, expect, it } from 'vitest'
import { UpgradeRefusal, parseWsTarget } from './upgrade-request'

describe('parseWsTarget', () => {
	it('reads the room id and the credential among the subprotocols', () => {
		expect(parseWsTarget('/ws/room-1', 'kompasbord, kompasbord-participant.p1.abc.x.y')).toEqual({
			roomId: 'room-1',
			credential: { kind: 'participant', secret: 'p1.abc.x.y' },
		})
		expect(parseWsTarget('/ws/room-1', ['kompasbord', 'kompasbord-facilitator.k3y'])).toMatchObject({
			credential: { kind: 'facilitator', secret: 'k3y' },
		})
		expect(parseWsTarget('/ws/room-1', 'kompasbord-view.v1.sig,kompasbord')).toMatchObject({
			credential: { kind: 'view', secret: 'v1.sig' },
		})
		expect(parseWsTarget('/ws/r%C3%BCm')).toMatchObject({ roomId: 'rüm', credential: null })
	})

	it('takes no credential from the query, nor an empty one', () => {
		expect(parseWsTarget('/ws/room-1?key=k3y&view=1&pid=phone_123-abc')).toEqual({ roomId: 'room-1', credential: null })
		expect(parseWsTarget('/ws/r', 'kompasbord, kompasbord-participant.')).toMatchObject({ credential: null })
		expect(parseWsTarget('/ws/r', 'kompasbord, other.thing')).toMatchObject({ credential: null })
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
