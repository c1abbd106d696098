import { describe, expect, it } from 'vitest'
import { AddressLimits, type AddressTicket } from './address-limits'

describe('AddressLimits', () => {
	it('caps the sockets of one address, not of others', () => {
		const limits = new AddressLimits(2, 10)
		const a1 = limits.admit('10.0.0.1', 'r') as AddressTicket
		limits.admit('10.0.0.1', 'r')
		expect(limits.admit('10.0.0.1', 'r')).toBe('too_many_sockets')
		expect(limits.admit('10.0.0.2', 'r')).toMatchObject({ address: '10.0.0.2' })
		limits.release(a1)
		expect(limits.admit('10.0.0.1', 'r')).toMatchObject({ roomId: 'r' })
	})

	it('caps the distinct rooms of one address; more sockets to a room it holds still open', () => {
		const limits = new AddressLimits(100, 2)
		const a = limits.admit('x', 'a') as AddressTicket
		limits.admit('x', 'b')
		expect(limits.admit('x', 'c')).toBe('too_many_rooms')
		expect(limits.admit('x', 'a')).toMatchObject({ roomId: 'a' })
		expect(limits.roomsOf('x')).toBe(2)
		limits.release(a)
		// Room a still has the second socket.
		expect(limits.admit('x', 'c')).toBe('too_many_rooms')
	})

	it('forgets an address once its last socket closed', () => {
		const limits = new AddressLimits(5, 5)
		const t = limits.admit('y', 'r') as AddressTicket
		limits.release(t)
		expect(limits.socketsOf('y')).toBe(0)
		expect(limits.roomsOf('y')).toBe(0)
	})
})
