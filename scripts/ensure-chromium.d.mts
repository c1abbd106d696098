/** Where Debian's `chromium` package puts the browser. */
export declare const DEFAULT_CHROMIUM_PATH: string

/**
 * Looks for a Chromium executable without installing anything
 * (env `CHROMIUM_PATH`, `/usr/bin/chromium`, then `chromium` / `chromium-browser` on PATH).
 * @returns its absolute path, or `null`
 */
export declare function findChromium(): string | null

/**
 * Returns the Chromium path, installing Debian's `chromium` with apt-get when missing and running as root.
 * @throws when Chromium is missing and cannot be installed here (the message says how to install it)
 */
export declare function ensureChromium(): string
