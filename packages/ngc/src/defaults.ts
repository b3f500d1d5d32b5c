// No imports: CLIs read these for `--help` without loading the client (exported as `./defaults`).

/** Public NGC API host; catalog, details and key validation all live there. */
export const NGC_API_BASE_URL = 'https://api.ngc.nvidia.com';

/** Search query selecting the NIM containers. */
export const NIM_CATALOG_QUERY = 'orgName:nim';
