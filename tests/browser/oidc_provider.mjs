// A real OpenID Connect provider for the partner sign-up tests: oidc-provider (pinned in
// package.json) with its development login form, which accepts any account name. The
// account's claims: sub and preferred_username = the name typed, a verified address
// NAME@partner.example.
// With oidc-provider's defaults (conformIdTokenClaims), the ID token of the code flow carries
// no scope claims: the email and profile claims are at the UserInfo endpoint (OpenID Connect
// Core 5.4). The optional last argument `claims-in-id-token` puts them in the ID token too,
// as some providers do.
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
  server.on('request', provider.callback());
  writeFileSync(portFile, String(server.address().port));
});
