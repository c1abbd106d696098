/**
 * Allocation sites of a V8 sampling heap profile (`HeapProfiler.stopSampling`): the bytes sampled per frame that
 * allocated, for bench/src/tools/update-allocation.ts.
 */

/** One node of `HeapProfiler.stopSampling`'s profile. */
export interface SamplingNode {
	callFrame: { functionName: string; url: string; lineNumber: number }
	selfSize: number
	id: number
	children: SamplingNode[]
}

/** A script URL as a short name: the package path inside node_modules, or the path under `repoDir`. */
export function shortScriptName(url: string, repoDir: string): string {
	const packaged = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(.*)$/.exec(url)
	if (packaged) return packaged[1]
	const path = url.startsWith('file://') ? url.slice('file://'.length) : url
	return path.startsWith(`${repoDir}/`) ? path.slice(repoDir.length + 1) : path
}

/**
 * Bytes sampled per allocation site (the frame that allocated: function and `file:line`, files named by
 * {@link shortScriptName}), largest first.
 */
export function allocationSites(root: SamplingNode, repoDir: string): Array<{ site: string; bytes: number }> {
	const bySite = new Map<string, number>()
	const walk = (node: SamplingNode) => {
		if (node.selfSize > 0) {
			const { functionName, url, lineNumber } = node.callFrame
			const site = `${functionName || '(anonymous)'} ${shortScriptName(url, repoDir)}:${lineNumber + 1}`
			bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize)
		}
		for (const child of node.children) walk(child)
	}
	walk(root)
	return [...bySite].map(([site, bytes]) => ({ site, bytes })).sort((a, b) => b.bytes - a.bytes)
}
