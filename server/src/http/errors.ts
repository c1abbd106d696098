import type { ErrorBody, ErrorCode } from '@kompasbord/shared/contract/schemas'

export type { ErrorBody, ErrorCode }

/** An error that becomes a JSON `{"error":{"code","message"}}` answer with its HTTP status. */
export class HttpError extends Error {
	constructor(
		readonly statusCode: number,
		readonly code: ErrorCode,
		message: string
	) {
		super(message)
		this.name = 'HttpError'
	}
}

/** Shorthand for `new HttpError(...)`, meant to be thrown from route handlers. */
export function httpError(statusCode: number, code: ErrorCode, message: string): HttpError {
	return new HttpError(statusCode, code, message)
}

/** Builds an error body. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
	return { error: { code, message } }
}
