import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FreshSyncAnswer, isEmptyStateVector } from './fresh-sync-answer'
import { messageSync, messageYjsSyncStep2 } from './protocol'

/** The update a framed sync step 2 answer carries (an unmasked binary frame of the server's size classes). */
function updateOf(frame: Buffer): Uint8Array {
	expect(frame[0]).toBe(0x82)
	const short = frame[1] & 0x7f
	const headerBytes = short === 126 ? 4 : short === 127 ? 10 : 2
	const decoder = decoding.createDecoder(frame.subarray(headerBytes))
	expect(decoding.readVarUint(decoder)).toBe(messageSync)
	expect(decoding.readVarUint(decoder)).toBe(messageYjsSyncStep2)
	return decoding.readVarUint8Array(decoder)
}

afterEach(() => {
	vi.useRealTimers()
})

describe('FreshSyncAnswer', () => {
	it('encodes the board once for every fresh client until it changes', () => {
		const doc = new Y.Doc()
		doc.getMap('records').set('shape:a', { x: 1 })
		const encode = vi.fn(() => Y.encodeStateAsUpdate(doc))
		const answer = new FreshSyncAnswer(encode)
		const first = answer.take()
		expect(answer.take()).toBe(first)
		expect(encode).toHaveBeenCalledTimes(1)

		doc.getMap('records').set('shape:b', { x: 2 })
		answer.drop()
		const changed = answer.take()
		expect(changed).not.toBe(first)
		expect(encode).toHaveBeenCalledTimes(2)
		const fresh = new Y.Doc()
		Y.applyUpdate(fresh, updateOf(changed))
		expect(fresh.getMap('records').toJSON()).toEqual({ 'shape:a': { x: 1 }, 'shape:b': { x: 2 } })
		answer.drop()
	})

	it('lets the answer go once no client asked for it for the keep time', () => {
		vi.useFakeTimers()
		const encode = vi.fn(() => new Uint8Array([0, 0]))
		const answer = new FreshSyncAnswer(encode, 1000)
		answer.take()
		vi.advanceTimersByTime(900)
		// Asked again: kept for another full keep time from now.
		answer.take()
		vi.advanceTimersByTime(900)
		expect(answer.holds).toBe(true)
		vi.advanceTimersByTime(200)
		expect(answer.holds).toBe(false)
		answer.take()
		expect(encode).toHaveBeenCalledTimes(2)
		answer.drop()
	})

	it('keeps a frame made ready by the room instead of encoding one, until the board changes', () => {
		const encode = vi.fn(() => new Uint8Array([0, 0]))
		const answer = new FreshSyncAnswer(encode, 1000)
		const ready = Buffer.from([0x82, 4, messageSync, messageYjsSyncStep2, 1, 7])
		expect(answer.take(ready)).toBe(ready)
		expect(answer.take()).toBe(ready)
		expect(encode).not.toHaveBeenCalled()
		answer.drop()
		expect(updateOf(answer.take())).toEqual(new Uint8Array([0, 0]))
		expect(encode).toHaveBeenCalledTimes(1)
		answer.drop()
	})

	it('does not keep an answer over its size limit', () => {
		const encode = vi.fn(() => new Uint8Array(2000).fill(1))
		const answer = new FreshSyncAnswer(encode, 1000, 1024)
		const a = answer.take()
		const b = answer.take()
		expect(answer.holds).toBe(false)
		expect(encode).toHaveBeenCalledTimes(2)
		expect(a.equals(b)).toBe(true)
		expect(updateOf(a)).toEqual(new Uint8Array(2000).fill(1))
	})
})

describe('isEmptyStateVector', () => {
	it('is true for the state vector of an empty doc only', () => {
		expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true)
		const doc = new Y.Doc()
		doc.getMap('m').set('k', 1)
		expect(isEmptyStateVector(Y.encodeStateVector(doc))).toBe(false)
	})
})
