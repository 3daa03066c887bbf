// A real OpenID Connect provider for the partner sign-up tests: oidc-provider (pinned in
// package.json) with its development login form, which accepts any account name. The
// account's claims: sub and preferred_username = the name typed, a verified address
// NAME@partner.example.
// Usage: node oidc_provider.mjs PORT_FILE CLIENT_ID CLIENT_SECRET REDIRECT_URI
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [portFile, clientId, clientSecret, redirectUri] = process.argv.slice(2);
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
    // The profile and email claims in the ID token itself, not only at the userinfo endpoint.
    conformIdTokenClaims: false,
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
