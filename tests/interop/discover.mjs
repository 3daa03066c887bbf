// Fedify, an independent ActivityPub implementation, discovers a user of instctl serve the way
// a Mastodon-compatible server does: WebFinger, the actor and its public key, and NodeInfo.
//
//   node discover.mjs HOST USER      (HOST: localhost:PORT, served over plain http)
//
// Prints one JSON object with what Fedify understood; exits 1 when a step finds nothing.
import { lookupWebFinger } from "@fedify/fedify/webfinger";
import { getNodeInfo } from "@fedify/fedify/nodeinfo";
import { getDocumentLoader } from "@fedify/fedify/runtime";
import { lookupObject, Person } from "@fedify/fedify/vocab";

const [host, user] = process.argv.slice(2);

// acct: look-ups go to https://HOST; the test server speaks plain http on loopback.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const prefix = `https://${host}/`;
  if (!url.startsWith(prefix)) return realFetch(input, init);
  const rewritten = `http://${host}/${url.slice(prefix.length)}`;
  return realFetch(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
};
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });

function fail(step, detail) {
  console.log(JSON.stringify({ ok: false, step, detail: String(detail ?? "") }));
  process.exit(1);
}

const acct = `acct:${user}@${host}`;
const jrd = await lookupWebFinger(acct, { allowPrivateAddress: true }).catch((e) => fail("webfinger", e));
if (jrd == null) fail("webfinger", "no JRD");
const self = jrd.links?.find((l) => l.rel === "self" && l.type === "application/activity+json");
if (self == null) fail("webfinger", "no self link");

const actor = await lookupObject(`@${user}@${host}`, {
  documentLoader, contextLoader: documentLoader, allowPrivateAddress: true,
})
  .catch((e) => fail("actor", e));
if (!(actor instanceof Person)) fail("actor", `not a Person: ${actor?.constructor?.name}`);
const key = await actor.getPublicKey({ documentLoader, contextLoader: documentLoader })
  .catch((e) => fail("key", e));
if (key == null || key.publicKey == null) fail("key", "no public key");
const jwk = await crypto.subtle.exportKey("jwk", key.publicKey);

const nodeinfo = await getNodeInfo(`http://${host}/`, { parse: "strict" }).catch((e) => fail("nodeinfo", e));
if (nodeinfo == null) fail("nodeinfo", "missing or invalid");

console.log(JSON.stringify({
  ok: true,
  subject: jrd.subject,
  self: self.href,
  actor: actor.id?.href,
  preferred_username: actor.preferredUsername?.toString(),
  inbox: actor.inboxId?.href,
  shared_inbox: actor.endpoints?.sharedInbox?.href,
  followers: actor.followersId?.href,
  key_id: key.id?.href,
  key_owner: key.ownerId?.href,
  key_type: jwk.kty,
  key_bits: Buffer.from(jwk.n, "base64url").length * 8,
  software: nodeinfo.software.name,
  protocols: nodeinfo.protocols,
  users_total: nodeinfo.usage.users.total,
  open_registrations: nodeinfo.openRegistrations,
}));
