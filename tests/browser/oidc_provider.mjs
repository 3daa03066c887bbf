// A real OpenID Connect provider for the partner sign-up tests: oidc-provider (pinned in
// package.json) with its development login form, which accepts any account name. The
// account's claims: sub and preferred_username = the name typed, a verified address
// NAME@partner.example.
// With oidc-provider's defaults (conformIdTokenClaims), the ID token of the code flow carries
// no scope claims: the email and profile claims are at the UserInfo endpoint (OpenID Connect
// Core 5.4). The optional last argument `claims-in-id-token` puts them in the ID token too,
// as some providers do.
// A slow partner, for the stall check: GET /_delay?ms=N makes the discovery, token and JWKS
// endpoints answer N ms late (the provider itself is unchanged: the request waits, then goes
// to it); GET /_delay answers {"ms", "waiting"} (requests being held now).
// Usage: node oidc_provider.mjs PORT_FILE CLIENT_ID CLIENT_SECRET REDIRECT_URI [claims-in-id-token]
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [portFile, clientId, clientSecret, redirectUri, where] = process.argv.slice(2);
const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { methods: ['S256'], required: () => true },
    ...(where === 'claims-in-id-token' ? { conformIdTokenClaims: false } : {}),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username', 'name'] },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@partner.example`, email_verified: true, preferred_username: id, name: id };
        },
      };
    },
    cookies: { keys: ['instctl-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
  });
  const handle = provider.callback();
  const delayed = new Set(['/.well-known/openid-configuration', '/token', '/jwks']);
  let delayMs = 0;
  let waiting = 0;
  server.on('request', async (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    if (path === '/_delay') {
      const ms = new URL(req.url, issuer).searchParams.get('ms');
      if (ms !== null) delayMs = Number(ms);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ms: delayMs, waiting }));
      return;
    }
    if (delayMs > 0 && delayed.has(path)) {
      waiting += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      waiting -= 1;
    }
    handle(req, res);
  });
  writeFileSync(portFile, String(server.address().port));
});
