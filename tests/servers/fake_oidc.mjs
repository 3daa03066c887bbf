// A minimal OpenID Connect provider for the token-level negative tests: discovery, a JWKS,
// an authorization endpoint that sends the browser straight back with a code, a token
// endpoint that checks PKCE (S256) and the client secret, then signs an ID token as the
// current mode says, and a UserInfo endpoint. Only Node's own modules.
//
// Like oidc-provider with its defaults (OpenID Connect Core 5.4), the ID token carries no
// scope claims (email, profile): they are at the UserInfo endpoint, for the access token.
//
//   node fake_oidc.mjs PORT_FILE CLIENT_ID CLIENT_SECRET
//   GET /_mode?m=good|otherkey|wrongaud|expired|es256|nonce|nbf|azp|unverified|othersub
//                                               (what the next tokens and UserInfo look like)
//   GET /_claims?in=userinfo|idtoken            (where the scope claims go; userinfo first)
//   GET /_issuer?slash=0|1                      (a trailing slash on the issuer it names)
//   GET /_broken?what=discovery|jwks|none       (serve malformed documents)
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [portFile, clientId, clientSecret] = process.argv.slice(2);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (pair, kid, alg) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' });
let mode = 'good';
let broken = 'none';
let claimsIn = 'userinfo';
let slash = '';
const tokens = new Map();  // access token -> sub
const codes = new Map();  // code -> { nonce, challenge, redirect_uri }

const b64 = (buf) => Buffer.from(buf).toString('base64url');
function scopeClaims() {
  return { email: 'fake.member@partner.example', email_verified: mode !== 'unverified',
           preferred_username: 'fake.member' };
}

function idToken(issuer, nonce) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: issuer, sub: 'fake-member-1', aud: mode === 'wrongaud' ? 'someone-else' : clientId,
    iat: now, exp: mode === 'expired' ? now - 3600 : now + 300,
    nonce: mode === 'nonce' ? 'another-nonce' : nonce,
    ...(claimsIn === 'idtoken' ? scopeClaims() : {}),
  };
  if (mode === 'nbf') claims.nbf = now + 10 * 365 * 86400;  // valid only in ten years
  if (mode === 'azp') claims.azp = 'someone-else';          // one audience, issued to another
  const es = mode === 'es256';
  const header = { alg: es ? 'ES256' : 'RS256', kid: es ? 'ec-1' : 'rsa-1', typ: 'JWT' };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  const key = es ? ec.privateKey : (mode === 'otherkey' ? other.privateKey : rsa.privateKey);
  const sig = sign('sha256', Buffer.from(input), es ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${b64(sig)}`;
}

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const server = createServer((req, res) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const issuer = base + slash;
  const url = new URL(req.url, base);
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    if (url.pathname === '/_mode') { mode = url.searchParams.get('m'); return send(res, 200, { mode }); }
    if (url.pathname === '/_claims') { claimsIn = url.searchParams.get('in'); return send(res, 200, { claimsIn }); }
    if (url.pathname === '/_issuer') { slash = url.searchParams.get('slash') === '1' ? '/' : ''; return send(res, 200, { issuer }); }
    if (url.pathname === '/userinfo') {
      const sub = tokens.get((req.headers.authorization || '').replace(/^Bearer /, ''));
      if (!sub) return send(res, 401, { error: 'invalid_token' });
      return send(res, 200, { sub: mode === 'othersub' ? 'someone-else' : sub, ...scopeClaims() });
    }
    if (url.pathname === '/_broken') { broken = url.searchParams.get('what'); return send(res, 200, { broken }); }
    if (url.pathname === '/.well-known/openid-configuration') {
      if (broken === 'discovery') return send(res, 200, '<html>not json</html>', 'text/html');
      return send(res, 200, {
        issuer, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`, userinfo_endpoint: `${base}/userinfo`,
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        code_challenge_methods_supported: ['S256'], response_types_supported: ['code'],
      });
    }
    if (url.pathname === '/jwks') {
      if (broken === 'jwks') return send(res, 200, { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] });
      return send(res, 200, { keys: [jwk(rsa, 'rsa-1', 'RS256'), jwk(ec, 'ec-1', 'ES256')] });
    }
    if (url.pathname === '/auth') {
      const p = url.searchParams;
      if (p.get('client_id') !== clientId || p.get('code_challenge_method') !== 'S256') {
        return send(res, 400, { error: 'invalid_request' });
      }
      const code = b64(createHash('sha256').update(String(Math.random())).digest());
      codes.set(code, { nonce: p.get('nonce'), challenge: p.get('code_challenge'), redirect: p.get('redirect_uri') });
      const back = new URL(p.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.get('state'));
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const auth = Buffer.from((req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString();
      if (auth !== `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`) {
        return send(res, 401, { error: 'invalid_client' });
      }
      const p = new URLSearchParams(body);
      const grant = codes.get(p.get('code'));
      codes.delete(p.get('code'));
      const verifier = p.get('code_verifier') || '';
      if (!grant || grant.redirect !== p.get('redirect_uri') ||
          b64(createHash('sha256').update(verifier).digest()) !== grant.challenge) {
        return send(res, 400, { error: 'invalid_grant' });
      }
      const accessToken = b64(createHash('sha256').update(String(Math.random())).digest());
      tokens.set(accessToken, 'fake-member-1');
      return send(res, 200, { access_token: accessToken, token_type: 'Bearer', id_token: idToken(issuer, grant.nonce) });
    }
    send(res, 404, { error: 'not_found' });
  });
});
server.listen(0, '127.0.0.1', () => writeFileSync(portFile, String(server.address().port)));
