/**
 * Reached over HTTPS: directly, or (only when the app trusts its proxy) through
 * a proxy that says so in X-Forwarded-Proto. Fastify's request.protocol already
 * ignores that header unless the connection comes from a proxy named in
 * trustProxy (MANDATE_TRUST_PROXY).
 */
export function isHttps(request: { protocol: string }): boolean {
  return request.protocol === "https";
}
