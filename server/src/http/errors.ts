/** An error that becomes a JSON `{"error":{"code","message"}}` answer with its HTTP status. */
export class HttpError extends Error {
	constructor(
		readonly statusCode: number,
		readonly code: string,
		message: string
	) {
		super(message)
		this.name = 'HttpError'
	}
}

/** Shorthand for `new HttpError(...)`, meant to be thrown from route handlers. */
export function httpError(statusCode: number, code: string, message: string): HttpError {
	return new HttpError(statusCode, code, message)
}

/** The JSON body of every error answer. */
export interface ErrorBody {
	error: { code: string; message: string }
}

/** Builds an error body. */
export function errorBody(code: string, message: string): ErrorBody {
	return { error: { code, message } }
}
