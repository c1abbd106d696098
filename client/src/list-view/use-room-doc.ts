import { useEffect, useState } from 'react'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** The room's doc, read-only (`?view=1`): what the list view shows, kept live. */
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

/** Connects to a room's doc as a viewer; everything the list view writes goes through the REST API. */
export function useRoomDoc(roomId: string): RoomDoc {
	const [doc] = useState(() => new Y.Doc())
	const [synced, setSynced] = useState(false)
	const [connected, setConnected] = useState(false)
	useEffect(() => {
		const provider = new WebsocketProvider(websocketBase(), encodeURIComponent(roomId), doc, {
			params: { view: '1' },
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
	}, [doc, roomId])
	useEffect(() => () => doc.destroy(), [doc])
	return { doc, synced, connected }
}
