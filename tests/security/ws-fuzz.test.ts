/**
 * Issue 11, property-based: for a few seconds a participant sends random record mutations (through an official
 * y-websocket client) and random Yjs updates and bytes (through a raw socket). After every run the room must hold
 * only records tldraw's schema accepts under their own ids, with every shape under the page; the template's
 * structure and the session state unchanged; nothing outside the records map; no pending state; and the server
 * still answers (a phone note lands at the end).
 */
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RECORDS_MAP, SESSION_MAP, STRUCTURE_KIND } from '@kompasbord/shared'
import { toRichText } from '@tldraw/tlschema'
import { checkRecord, hasValidAncestry, type PlainRecord } from '../../server/src/rooms/record-validation'
import { waitFor } from '../support/wait-for'
import { api, type ApiClient } from '../support/api'
import { type InProcessServer, startServerInProcess } from '../support/server-in-process'
import { closeClients, credentialFor, freshId, openClient, recordsOf } from '../session-helpers'
import { expectRoomWorks, type RawPeer, rawPeer, roundTrip, serverDoc } from './ws-helpers'

// The server of this file logs errors only: the fuzzer makes it warn about every malformed message it closes.
const ctx = {} as { server: InProcessServer; client: ApiClient }
beforeAll(async () => {
	ctx.server = await startServerInProcess({ env: { LOG_LEVEL: 'error' } })
	ctx.client = api(ctx.server.baseUrl)
})
afterEach(() => closeClients())
afterAll(async () => {
	await ctx.server?.close()
})

/** How long the property runs. */
const FUZZ_MS = 4000

type Command =
	| { kind: 'mutate'; pick: number; field: string; value: unknown }
	| { kind: 'reparent'; pick: number; parent: number }
	| { kind: 'rekey'; pick: number; target: number }
	| { kind: 'random'; key: string; value: unknown }
	| { kind: 'delete'; pick: number }
	| { kind: 'other-map'; map: string; key: string; value: unknown }
	| { kind: 'foreign'; text: string }
	| { kind: 'bytes'; bytes: Uint8Array }
	| { kind: 'gap'; size: number }

const fieldArb = fc.constantFrom(
	'id',
	'typeName',
	'type',
	'parentId',
	'index',
	'x',
	'props',
	'meta',
	'rotation',
	'opacity'
)
const command: fc.Arbitrary<Command> = fc.oneof(
	fc.record({
		kind: fc.constant('mutate' as const),
		pick: fc.nat(),
		field: fieldArb,
		value: fc.jsonValue({ maxDepth: 2 }),
	}),
	fc.record({ kind: fc.constant('reparent' as const), pick: fc.nat(), parent: fc.nat() }),
	fc.record({ kind: fc.constant('rekey' as const), pick: fc.nat(), target: fc.nat() }),
	fc.record({
		kind: fc.constant('random' as const),
		key: fc.string({ maxLength: 12 }).map((s) => `shape:${s}`),
		value: fc.jsonValue({ maxDepth: 3 }),
	}),
	fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
	fc.record({
		kind: fc.constant('other-map' as const),
		map: fc.constantFrom('session', 'votes', 'meta', 'elsewhere'),
		key: fc.string({ maxLength: 8 }),
		value: fc.jsonValue({ maxDepth: 2 }),
	}),
	fc.record({ kind: fc.constant('foreign' as const), text: fc.string({ maxLength: 200 }) }),
	fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
	fc.record({ kind: fc.constant('gap' as const), size: fc.integer({ min: 1, max: 5000 }) })
)

describe('fuzzing a room as a participant', () => {
	it('keeps every invariant, whatever a participant sends', { timeout: 60_000 }, async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		// This file starts its own server (quiet logs), so the participant's token is asked for here.
		const attacker = await openClient(
			ctx.server.wsUrl,
			room.roomId,
			await credentialFor(ctx.server, room.roomId, { pid: freshId('fuzz') })
		)
		let raw: RawPeer = await rawPeer(ctx.server, room.roomId)
		const doc = () => serverDoc(ctx.server, room.roomId)
		const structure = new Map<string, string>()
		doc()
			.getMap<{ meta?: { kind?: unknown } }>(RECORDS_MAP)
			.forEach((value, key) => {
				if (value.meta?.kind === STRUCTURE_KIND) structure.set(key, JSON.stringify(value))
			})
		const session = JSON.stringify(doc().getMap(SESSION_MAP).toJSON())
		let markers = 0

		/** An empty rectangle from the attacker, awaited at the facilitator: everything sent before was judged. */
		const barrier = async () => {
			const id = `shape:marker-${markers++}`
			recordsOf(attacker.doc).set(
				id as never,
				{
					id,
					typeName: 'shape',
					type: 'geo',
					parentId: 'page:page',
					index: 'a1',
					x: 0,
					y: 0,
					rotation: 0,
					isLocked: false,
					opacity: 1,
					meta: {},
					props: {
						w: 10,
						h: 10,
						geo: 'rectangle',
						dash: 'draw',
						growY: 0,
						url: '',
						scale: 1,
						color: 'black',
						labelColor: 'black',
						fill: 'none',
						size: 'm',
						font: 'draw',
						align: 'middle',
						verticalAlign: 'middle',
						flipX: false,
						flipY: false,
						richText: toRichText(''),
					},
				} as never
			)
			await waitFor(() => recordsOf(facilitator.doc).has(id as never), { message: 'the barrier arrived' })
			if (raw.socket.readyState !== raw.socket.OPEN) raw = await rawPeer(ctx.server, room.roomId)
			else await roundTrip(raw)
		}

		const run = async (commands: Command[]) => {
			const records = recordsOf(attacker.doc)
			const keys = () => [...records.keys()]
			const at = (n: number) => {
				const all = keys()
				return all[n % all.length]
			}
			for (const c of commands) {
				switch (c.kind) {
					case 'mutate': {
						const key = at(c.pick)
						const value = { ...(records.get(key as never) as unknown as Record<string, unknown>), [c.field]: c.value }
						records.set(key as never, value as never)
						break
					}
					case 'reparent': {
						const key = at(c.pick)
						const value = records.get(key as never) as unknown as Record<string, unknown>
						records.set(key as never, { ...value, parentId: at(c.parent) } as never)
						break
					}
					case 'rekey':
						records.set(at(c.target) as never, records.get(at(c.pick) as never) as never)
						break
					case 'random':
						records.set(c.key as never, c.value as never)
						break
					case 'delete':
						records.delete(at(c.pick) as never)
						break
					case 'other-map':
						attacker.doc.getMap(c.map).set(c.key, c.value)
						break
					case 'foreign':
						attacker.doc.getText('elsewhere-text').insert(0, c.text)
						break
					case 'bytes':
						raw.sendUpdate(c.bytes)
						break
					case 'gap': {
						const d = new Y.Doc()
						d.getMap(RECORDS_MAP).set('shape:a', 1)
						const sv = Y.encodeStateVector(d)
						d.getMap(RECORDS_MAP).set('shape:b', 'x'.repeat(c.size))
						raw.sendUpdate(Y.encodeStateAsUpdate(d, sv))
						break
					}
				}
			}
			await barrier()
			// The invariants, on the server's doc.
			const server = doc()
			expect(server.store.pendingStructs).toBeNull()
			expect(server.store.pendingDs).toBeNull()
			const stored = server.getMap<unknown>(RECORDS_MAP)
			stored.forEach((value, key) => {
				expect(checkRecord(key, value), key).toBeNull()
				const record = value as PlainRecord
				if (record.typeName === 'shape')
					expect(
						hasValidAncestry(record, (id) => stored.get(id)),
						key
					).toBe(true)
			})
			for (const [key, json] of structure) expect(JSON.stringify(stored.get(key)), key).toBe(json)
			expect(JSON.stringify(server.getMap(SESSION_MAP).toJSON())).toBe(session)
			expect(server.getText('elsewhere-text').length).toBe(0)
			expect(server.getMap('elsewhere').size).toBe(0)
		}

		await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), run), {
			numRuns: 10_000,
			interruptAfterTimeLimit: FUZZ_MS,
			markInterruptAsFailure: false,
		})
		expect((await ctx.client.getRoom(room.roomId)).roomId).toBe(room.roomId)
		await expectRoomWorks(ctx.server, ctx.client, room)
	})
})
