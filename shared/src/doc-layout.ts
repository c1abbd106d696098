/**
 * How a room's Y.Doc is laid out. Every part of Kompasbord (server, board client, phone page, exports,
 * benchmarks) reads and writes the doc through these names only.
 *
 * - {@link RECORDS_MAP}: one entry per tldraw record of document scope (document, page, shape, binding,
 *   asset), keyed by record id, the value the plain JSON record. Whole records are replaced on change.
 * - {@link META_MAP}: `schema` holds the serialized tldraw store schema the records were written with, so a
 *   later tldraw version can migrate old rooms.
 * - {@link SESSION_MAP}: the facilitator's session state ({@link SessionState}); written by the server only.
 * - {@link VOTES_MAP}: note id → number of dot votes; written by the server only (votes are anonymous).
 */
export const RECORDS_MAP = 'tldraw'
/** @see RECORDS_MAP */
export const META_MAP = 'meta'
/** Key in {@link META_MAP} holding the serialized tldraw store schema. */
export const SCHEMA_KEY = 'schema'
/** @see RECORDS_MAP */
export const SESSION_MAP = 'session'
/** @see RECORDS_MAP */
export const VOTES_MAP = 'votes'

/** Id of the single tldraw document record. */
export const DOCUMENT_ID = 'document:document'
/** Id of the board's page; every template draws on this one page. */
export const PAGE_ID = 'page:page'

/** Value of `meta.kind` on shapes a template draws (frames, labels, arrows): participants cannot change them. */
export const STRUCTURE_KIND = 'structure'
/** Value of `meta.kind` on participants' sticky notes. */
export const NOTE_KIND = 'note'

/** The session state's types: its schema is the contract's (`./contract/schemas`, `./contract/session-codec`). */
export type { SessionPhase, SessionState, TimerState } from './contract/schemas'
