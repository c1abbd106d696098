/**
 * A backend's store as a contract suite gets it: a fresh, empty database per test.
 */
export interface StoreUnderTest<T> {
	/** The store; replaced by {@link StoreUnderTest.reopen}. */
	store: T
	/** Closes the store and opens the same database again (what was acknowledged must be there); returns it. */
	reopen(): Promise<T>
	/** Closes the store and removes its database. */
	destroy(): Promise<void>
}

/** Makes a store on a new, empty database. */
export type StoreFactory<T> = () => Promise<StoreUnderTest<T>>
