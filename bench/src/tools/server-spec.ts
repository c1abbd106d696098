import { resolve } from 'node:path'
import type { ServerKind } from '../servers'

/** A server a bench tool starts, as its command line names it. */
export interface ServerSpec {
	kind: ServerKind
	env: Record<string, string>
	/** Our server from another build (`base`): that build's `launch.mjs`. */
	launcher?: string
}

/**
 * Parses `ours`, `reference` or `base` (our server from another build; `baseDist` is that build's `server/dist`),
 * each maybe followed by `:KEY=VALUE;…` — more environment for that server, so variants run in the same rounds.
 * A value may hold `=`, `:` and spaces (`ours:NODE_FLAGS=--a --b`).
 */
export function parseServerSpec(spec: string, baseDist?: string): ServerSpec {
	const colon = spec.indexOf(':')
	const name = colon < 0 ? spec : spec.slice(0, colon)
	const pairs =
		colon < 0
			? []
			: spec
					.slice(colon + 1)
					.split(';')
					.filter(Boolean)
	const env = Object.fromEntries(
		pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])
	)
	if (name !== 'base') return { kind: name as ServerKind, env }
	if (!baseDist) throw new Error('base needs --base-dist')
	return { kind: 'ours', env, launcher: resolve(baseDist, 'launch.mjs') }
}
