/**
 * Runs a bench tool's `main` and exits: 0 when it resolved, 1 after printing the error when it threw. The exit
 * also stops what the tool started (servers.ts kills its servers and removes their data directories on exit).
 */
export function runTool(main: () => Promise<void>): void {
	main().then(
		() => process.exit(0),
		(error) => {
			console.error(error)
			process.exit(1)
		}
	)
}
