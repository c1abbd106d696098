export declare const COMPRESSIBLE: RegExp
export declare function compressAssets(dist: string): { files: number; bytes: number; brotli: number; gzip: number }
