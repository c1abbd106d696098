import { describe, expect, it } from 'vitest'
import { BoundedLogDestination } from './log-destination'

/** A sink whose pending bytes the test controls, like stderr on a pipe nobody reads. */
function sink() {
	const s = { writableLength: 0, lines: [] as string[], write: (chunk: string) => s.lines.push(chunk) }
	return s
}

describe('BoundedLogDestination', () => {
	it('passes lines through while the sink keeps up', () => {
		const out = sink()
		const log = new BoundedLogDestination(out, 100)
		log.write('a\n')
		log.write('b\n')
		expect(out.lines).toEqual(['a\n', 'b\n'])
	})

	it('drops lines while too much waits, and says how many once the sink takes lines again', () => {
		const out = sink()
		const log = new BoundedLogDestination(out, 100)
		out.writableLength = 101
		log.write('lost 1\n')
		log.write('lost 2\n')
		expect(out.lines).toEqual([])
		expect(log.droppedTotal).toBe(2)
		out.writableLength = 0
		log.write('c\n')
		expect(out.lines).toHaveLength(2)
		expect(JSON.parse(out.lines[0])).toMatchObject({ level: 40, msg: '2 log lines dropped: stderr was not being read' })
		expect(out.lines[1]).toBe('c\n')
	})
})
