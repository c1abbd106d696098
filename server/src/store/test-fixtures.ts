import type { RoomRecord } from './room-store'

/** An open room record for store tests: the blank template, anonymous, created at epoch ms 1. */
export function testRoom(roomId: string, joinCode: string): RoomRecord {
	return {
		roomId,
		title: 'Test',
		templateId: 'blanco',
		columns: null,
		joinCode,
		facilitatorKeyHash: 'ab'.repeat(32),
		anonymous: true,
		createdAt: 1,
		closedAt: null,
		passphraseHash: null,
		joinCodeExpiresAt: null,
	}
}
