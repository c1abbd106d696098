import { useEffect, useState } from 'react'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** The room's doc, read only by the list view (it writes through the REST API): what it shows, kept live. */
export interface RoomDoc {
	doc: Y.Doc
	/** Whether the doc has synced with the server at least once. */
	synced: boolean
	/** Whether the websocket is connected now. */
	connected: boolean
}

function websocketBase(): string {
	return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`
}

/**
 * Connects to a room's doc with the participant's token (as their board would; the list view never writes to
 * the doc); everything the list view writes goes through the REST API.
 */
export function useRoomDoc(roomId: string, participantToken: string): RoomDoc {
	const [doc] = useState(() => new Y.Doc())
	const [synced, setSynced] = useState(false)
	const [connected, setConnected] = useState(false)
	useEffect(() => {
		const provider = new WebsocketProvider(websocketBase(), encodeURIComponent(roomId), doc, {
			protocols: ['kompasbord', `kompasbord-participant.${participantToken}`],
			disableBc: true,
		})
		const onSync = (isSynced: boolean) => {
			if (isSynced) setSynced(true)
		}
		const onStatus = ({ status }: { status: string }) => setConnected(status === 'connected')
		provider.on('sync', onSync)
		provider.on('status', onStatus)
		return () => {
			provider.off('sync', onSync)
			provider.off('status', onStatus)
			provider.destroy()
		}
	}, [doc, roomId, participantToken])
	useEffect(() => () => doc.destroy(), [doc])
	return { doc, synced, connected }
}
