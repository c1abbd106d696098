/**
 * The types of the public HTTP contract, under the names the board, the phone page and the server have always
 * imported them by. They are derived from the contract's TypeBox schemas (`./contract/schemas`); docs/API.md
 * describes them. Types only: importing them adds nothing to a bundle.
 *
 * @packageDocumentation
 */
export type {
	AdminPhaseAnswer,
	AdminRoom,
	AdminRoomList,
	NewFacilitatorLink,
	ConnectedCounts,
	CreateRoomRequest,
	CreatedRoom,
	DeletedNote,
	HiddenNoteList,
	HiddenNoteView,
	JoinAnswer,
	JoinInfo,
	JoinedRoom,
	ModeratedNote,
	NoteBody,
	NoteList,
	NotePatch,
	NoteView,
	PostedNote,
	PublicNoteStatus,
	RoomInfo,
	RoomLinks,
	RoomLinksAnswer,
	RoomZone,
	SessionAnswer,
	SessionChange,
	VoteAnswer,
	VoteSummary,
	VotingList,
	VotingZone,
} from './contract/schemas'
