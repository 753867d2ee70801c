/// <reference types="vite/client" />

/** The SPA's mount point on the server ("/app/"), from vite.config.ts. */
declare const __APP_BASE__: string;
