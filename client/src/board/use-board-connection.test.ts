import { describe, expect, it } from 'vitest'
import { isReadOnly, websocketBase, websocketProtocols } from './use-board-connection'

describe('board connection helpers', () => {
	it('talks to this page’s server, over wss on https', () => {
		expect(websocketBase({ protocol: 'http:', host: '192.168.1.20:8080' })).toBe('ws://192.168.1.20:8080/ws')
		expect(websocketBase({ protocol: 'https:', host: 'kompasbord.example.nl' })).toBe('wss://kompasbord.example.nl/ws')
	})

	it("offers the role's credential as a subprotocol beside kompasbord", () => {
		expect(websocketProtocols('facilitator', 'k1')).toEqual(['kompasbord', 'kompasbord-facilitator.k1'])
		expect(websocketProtocols('viewer', 'v1.x')).toEqual(['kompasbord', 'kompasbord-view.v1.x'])
		expect(websocketProtocols('participant', 'p1.a.b.c')).toEqual(['kompasbord', 'kompasbord-participant.p1.a.b.c'])
		expect(websocketProtocols('participant', null)).toEqual(['kompasbord'])
	})

	it('is read-only for viewers, and for participants once the session is closed', () => {
		expect(isReadOnly('viewer', 'open')).toBe(true)
		expect(isReadOnly('participant', 'open')).toBe(false)
		expect(isReadOnly('participant', 'voting')).toBe(false)
		expect(isReadOnly('participant', 'closed')).toBe(true)
		expect(isReadOnly('facilitator', 'closed')).toBe(false)
	})
})
