import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { isPrivateWriting, isScreening } from '../session'
import { NoteService } from './note-service'

declare module 'fastify' {
	interface FastifyInstance {
		/**
		 * The one note service of the app: phone notes into the doc (held back during private writing, queued while screening), used by
		 * the note routes and the facilitator toolkit alike, so both share its idempotency.
		 */
		notes: NoteService
	}
}

/**
 * Decorates `app.notes`, once: the note routes and the session toolkit declare it as a dependency, so they share
 * this one service (and its idempotency), and registering them before it fails at start.
 */
export const notesPlugin: FastifyPluginAsync = fp(
	async (app) => {
		app.decorate('notes', new NoteService(app.store, { holdNotes: isPrivateWriting, screenNotes: isScreening }))
	},
	{ name: 'kompasbord-notes', decorators: { fastify: ['store'] } }
)
