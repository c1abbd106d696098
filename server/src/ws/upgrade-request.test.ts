import { describe, expect, it } from 'vitest'
import { credentialFrom } from './upgrade-request'

describe('credentialFrom', () => {
	it('reads the credential among the subprotocols', () => {
		expect(credentialFrom('kompasbord, kompasbord-participant.p1.abc.x.y')).toEqual({
			kind: 'participant',
			secret: 'p1.abc.x.y',
		})
		expect(credentialFrom(['kompasbord', 'kompasbord-facilitator.k3y'])).toEqual({ kind: 'facilitator', secret: 'k3y' })
		expect(credentialFrom('kompasbord-view.v1.sig,kompasbord')).toEqual({ kind: 'view', secret: 'v1.sig' })
	})

	it('takes no credential when none is offered, nor an empty one', () => {
		expect(credentialFrom(undefined)).toBeNull()
		expect(credentialFrom('kompasbord')).toBeNull()
		expect(credentialFrom('kompasbord, kompasbord-participant.')).toBeNull()
		expect(credentialFrom('kompasbord, other.thing')).toBeNull()
	})
})
