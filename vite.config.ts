import { defineConfig } from "vite";

/**
 * The web app: React 19 compiled by Vite's built-in oxc transform (no React
 * plugin). `vite build` writes dist/web, which the Fastify server serves;
 * `vite` (dev) proxies /api to the server on port 3000.
 */
export default defineConfig({
  root: "src/web",
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    rolldownOptions: {
      onLog(level, log, handler) {
        // React Query marks its modules "use client" (for server components); irrelevant in a browser bundle.
        if (log.code === "MODULE_LEVEL_DIRECTIVE") return;
        handler(level, log);
      },
      output: {
        codeSplitting: {
          groups: [
            // Long-lived libraries in their own chunks, so a release of the app does not re-download them.
            {
              name: "react",
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
            },
            { name: "query", test: /node_modules[\\/]@tanstack[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: "http://127.0.0.1:3000", changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
