/** The pnpm version the lockfile was written with. */
export declare const PNPM_VERSION: string

/** Absolute path of the repository root. */
export declare const repoRoot: string

/** How to run pnpm: `command` followed by `args`, then pnpm's own arguments. */
export interface PnpmRunner {
	command: string
	args: string[]
	/** Human-readable description for progress lines. */
	label: string
}

/** Prints one progress line, prefixed with `[kompasbord]`. */
export declare function log(message: string): void

/** Finds (or installs) pnpm {@link PNPM_VERSION} and returns how to run it. */
export declare function findPnpm(): PnpmRunner

/** Runs pnpm with the given arguments, output inherited; returns the exit status. */
export declare function runPnpm(
	runner: PnpmRunner,
	args: string[],
	options?: { cwd?: string; env?: NodeJS.ProcessEnv }
): number

/** Says why an install is needed, or `null` when node_modules is up to date. */
export declare function installReason(): string | null

/** Makes sure pnpm is there and the workspace's dependencies are installed; returns how to run pnpm. */
export declare function ensureDeps(options?: { force?: boolean }): PnpmRunner
