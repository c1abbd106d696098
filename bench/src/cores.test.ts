import { describe, expect, it } from 'vitest'
import { interruptRise, readInterrupts } from './cores'

/** /proc/interrupts with the disk's line (36) and the local timer's at the given counts on CPU 0 and CPU 1. */
const interrupts = (disk: [number, number], timer: [number, number]) => `           CPU0       CPU1
  0:         44          0   IO-APIC   2-edge      timer
 36:     ${disk[0]}     ${disk[1]}  PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0
 37:          0          0  PCI-MSIX-0000:00:03.0   0-edge      virtio2-config
LOC:     ${timer[0]}     ${timer[1]}   Local timer interrupts
ERR:          0
`

const BEFORE = interrupts([0, 128594], [912345, 854321])
const AFTER = interrupts([0, 128995], [912390, 854400])

describe('the cores of a bench run', () => {
	it('reads the per-CPU counts of /proc/interrupts, leaving out lines without them', () => {
		const counts = readInterrupts(BEFORE)
		expect(counts.get('36')).toEqual([0, 128594])
		expect(counts.get('LOC')).toEqual([912345, 854321])
		expect(counts.has('ERR')).toBe(false)
	})

	it('counts the lines that rose with the disk probe on the core that took them', () => {
		// The disk's line rose by 401 on CPU 1; the local timer's (45 and 79) is not a device's line.
		expect(interruptRise(readInterrupts(BEFORE), readInterrupts(AFTER), 100)).toEqual([0, 401])
		expect(interruptRise(readInterrupts(BEFORE), readInterrupts(AFTER), 50)).toEqual([0, 401])
		expect(interruptRise(readInterrupts(BEFORE), readInterrupts(AFTER), 500)).toEqual([0, 0])
	})
})
