import { describe, expect, it } from 'vitest'
import { isReadOnly, websocketBase, websocketParams } from './use-board-connection'

describe('board connection helpers', () => {
	it('talks to this page’s server, over wss on https', () => {
		expect(websocketBase({ protocol: 'http:', host: '192.168.1.20:8080' })).toBe('ws://192.168.1.20:8080/ws')
		expect(websocketBase({ protocol: 'https:', host: 'kompasbord.example.nl' })).toBe('wss://kompasbord.example.nl/ws')
	})

	it('passes the key for the facilitator and view=1 for a viewer', () => {
		expect(websocketParams('facilitator', 'k1')).toEqual({ key: 'k1' })
		expect(websocketParams('viewer', null)).toEqual({ view: '1' })
		expect(websocketParams('viewer', 'k1')).toEqual({ view: '1' })
		expect(websocketParams('participant', null)).not.toHaveProperty('key')
		expect(websocketParams('participant', null)).not.toHaveProperty('view')
	})

	it('is read-only for viewers, and for participants once the session is closed', () => {
		expect(isReadOnly('viewer', 'open')).toBe(true)
		expect(isReadOnly('participant', 'open')).toBe(false)
		expect(isReadOnly('participant', 'voting')).toBe(false)
		expect(isReadOnly('participant', 'closed')).toBe(true)
		expect(isReadOnly('facilitator', 'closed')).toBe(false)
	})
})
