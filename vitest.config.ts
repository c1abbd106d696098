import { defineConfig } from 'vitest/config'

/**
 * One vitest run for the whole workspace (`npm test` runs it through scripts/test.mjs).
 *
 * - `unit`: tests beside the code in shared/, server/, client/src/, templates/ — parallel.
 * - `integration`: tests/** outside tests/e2e (real server processes on port 0) — parallel with `unit`.
 * - `e2e`: tests/e2e/** (real Chromium) — after the others, one file at a time, so browsers never compete
 *   with each other or with the unit tests for the machine's two cores.
 */
const shared = {
	exclude: ['**/node_modules/**', '**/dist/**'],
	environment: 'node',
} as const

export default defineConfig({
	test: {
		maxWorkers: 2,
		teardownTimeout: 20_000,
		projects: [
			{
				extends: true,
				test: {
					...shared,
					name: 'unit',
					include: [
						'shared/**/*.test.ts',
						'server/**/*.test.ts',
						'client/src/**/*.test.{ts,tsx}',
						'templates/**/*.test.ts',
						'bench/src/**/*.test.ts',
					],
					testTimeout: 30_000,
					hookTimeout: 30_000,
				},
			},
			{
				extends: true,
				test: {
					...shared,
					name: 'integration',
					include: ['tests/**/*.test.ts'],
					exclude: [...shared.exclude, 'tests/e2e/**'],
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
			{
				extends: true,
				test: {
					...shared,
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					globalSetup: ['tests/support/e2e-global-setup.ts'],
					fileParallelism: false,
					sequence: { groupOrder: 1 },
					testTimeout: 120_000,
					hookTimeout: 120_000,
				},
			},
		],
	},
})
